// The student's usage this period (GET /hub/api/users/{name}/usage, our extension): used and left of the quota, when
// it resets, and a warning once a running server is about to be stopped at the cap. Shown on the home page and the
// server page; nothing is shown when the user has no quota.
import { getJson, userPath } from './api.js';
import { $ } from './ui.js';

const time = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Words for a quota standing; exported for the pages that show it. */
export function describe(quota, now = Date.now()) {
  const amount = (n) => (Math.round(n * 100) / 100).toString();
  if (quota.reached) {
    return { kind: 'error', text: `You have used all ${amount(quota.limit)} ${quota.unit} of your quota for this period (${quota.period}). You can start a server again after it resets on ${time(quota.resets)}.` };
  }
  const standing = `This period (${quota.period}) you have used ${amount(quota.used)} of ${amount(quota.limit)} ${quota.unit}; ${amount(quota.remaining)} left, reset on ${time(quota.resets)}.`;
  if (quota.warning && quota.stops_at) {
    const minutes = Math.max(1, Math.round((Date.parse(quota.stops_at) - now) / 60000));
    return { kind: 'error', text: `${standing} Your running server will be stopped in about ${minutes} minute${minutes === 1 ? '' : 's'} when you reach your quota. Save your work; your files are kept.` };
  }
  return { kind: 'muted', text: standing };
}

/** Fills #usage with the user's standing (hidden when they have no quota); failures leave it hidden. */
export async function showUsage(name) {
  const box = $('#usage');
  if (!box) return null;
  let model;
  try {
    model = await getJson(userPath(name, 'usage'));
  } catch {
    return null;
  }
  if (!model.quota) {
    box.hidden = true;
    return null;
  }
  const { kind, text } = describe(model.quota);
  box.textContent = text;
  box.className = kind;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.hidden = false;
  return model.quota;
}

/** Shows the standing now and again every minute, so that the warning before the cap appears while the page is open. */
export function watchUsage(name, everyMs = 60000) {
  const shown = showUsage(name);
  setInterval(() => showUsage(name), everyMs);
  return shown;
}

// The server page: /hub/spawn-pending/{user}[/{server}] (follow a start) and /hub/user/{user}/{path} (the server is
// not running: start it, then land on the path). Progress comes from the progress event stream: queue position,
// phases in words, a progress bar; on failure the reason and a retry button; when ready, straight into the server.
import { api, followEvents, getJson, pageInfo, serverPath, serverUrl, userPath } from './api.js';
import { $, el, say, showAdminLink } from './ui.js';
import { watchUsage } from './usage.js';

const segments = location.pathname.split('/');
// ['', 'hub', 'spawn-pending' | 'user', user, server-or-path...]
const mode = segments[2] === 'user' ? 'path' : 'pending';
const user = decodeURIComponent(segments[3] || '');
const server = mode === 'pending' && segments[4] ? decodeURIComponent(segments[4]) : '';
const defaultTarget = serverUrl(user, server);

/**
 * The hub hands this page next only as its redirect rule (RedirectTarget) passes it; this refuses, once more, what a
 * browser would resolve off this origin (a tab or newline it strips, a backslash it reads as a slash).
 */
function safeNext() {
  const next = new URLSearchParams(location.search).get('next');
  if (!next || !next.startsWith('/') || /[\u0000-\u0020\u007f-\u00a0\\\u200b\ufeff]/.test(next)) return null;
  const url = new URL(next, location.origin);
  return url.origin === location.origin && !next.startsWith('//') ? url.pathname + url.search + url.hash : null;
}

/** Where to go once the server is ready: the requested path (its query kept), or the server's root. */
const target = mode === 'path' ? location.pathname.slice('/hub'.length) + location.search + location.hash : safeNext() || defaultTarget;

let following = null;
let lookAgain = null;

function show(panel) {
  for (const id of ['#start-panel', '#progress-panel', '#failure']) {
    $(id).hidden = id !== panel && !(panel === '#failure' && id === '#progress-panel');
  }
}

/** Goes to the server, unless the gateway keeps sending us back here (a route that does not work yet). */
function enter(url) {
  const key = 'hub-enter:' + url;
  const recent = JSON.parse(sessionStorage.getItem(key) || '[]').filter((t) => Date.now() - t < 30000);
  if (recent.length >= 3) {
    failed('The server reports ready, but it cannot be reached yet. Wait a moment and try again.');
    return;
  }
  sessionStorage.setItem(key, JSON.stringify([...recent, Date.now()]));
  say('Your server is ready. Opening it…');
  location.replace(url);
}

function failed(message) {
  show('#failure');
  $('#progress-heading').textContent = 'What happened';
  $('#reason').textContent = message;
  $('#retry').focus();
  say('The server did not start.', 'error');
}

function showStart(message) {
  show('#start-panel');
  $('#intro').textContent = message;
  say('');
}

async function follow() {
  show('#progress-panel');
  $('#progress-heading').textContent = 'Starting your server';
  $('#log').replaceChildren();
  following?.abort();
  following = new AbortController();
  let outcome = null;
  try {
    await followEvents(serverPath(user, server) + '/progress', (event) => {
      const percent = Math.max(0, Math.min(100, Number(event.progress) || 0));
      $('#bar').value = percent;
      $('#percent').textContent = `${percent}%`;
      const queued = event.queue_position !== undefined && event.queue_position !== null;
      $('#queue').hidden = !queued;
      if (queued) $('#queue').textContent = `Number ${event.queue_position} in the queue`;
      if (event.message) {
        $('#log').append(el('li', {}, event.message));
        $('#phase').textContent = event.message;
      }
      if (event.ready) {
        outcome = { ready: true, url: event.url };
        return true;
      }
      if (event.failed) {
        outcome = { failed: true, message: event.message };
        return true;
      }
      return false;
    }, following.signal);
  } catch (error) {
    if (error.status === 400) {
      await look();
      return;
    }
    failed(error.message);
    return;
  }
  if (outcome?.ready) {
    enter(mode === 'path' || safeNext() ? target : outcome.url || target);
  } else if (outcome?.failed) {
    failed(outcome.message || 'The server failed to start.');
  } else if (!following.signal.aborted) {
    // The stream ended without an outcome (a proxy timed it out): look again.
    await look();
  }
}

async function start() {
  clearTimeout(lookAgain);
  const body = {};
  const profile = $('#profile');
  if (!$('#profile-field').hidden && profile.value) body.profile = profile.value;
  say('Starting…');
  try {
    const response = await api('POST', serverPath(user, server), { body });
    if (response.status === 201) {
      enter(target);
      return;
    }
    await follow();
  } catch (error) {
    if (error.status === 400 && /already running/.test(error.message)) {
      enter(target);
      return;
    }
    failed(error.message);
  }
}

/** Looks at the server's state and shows what fits: enter it, follow its start, or offer one. */
async function look() {
  const model = await getJson(userPath(user) + '?include_stopped_servers=1');
  const current = (model.servers || {})[server];
  if (current?.ready) {
    enter(target);
  } else if (current?.pending === 'spawn' || (current && current.stopped)) {
    // A stopped server may have failed: the progress stream says why (or 400 when it simply is not running).
    if (current.pending === 'spawn') {
      await follow();
    } else {
      await lastFailure();
    }
  } else if (current?.pending === 'stop') {
    showStart('The server is stopping. Start it again once it has stopped.');
    // Look again until the stop is over: a start that failed is cleaned up this way, and its reason is told after.
    lookAgain = setTimeout(() => look().catch((error) => say(error.message, 'error')), 1000);
  } else {
    offer();
  }
}

async function lastFailure() {
  let failure = null;
  try {
    await followEvents(serverPath(user, server) + '/progress', (event) => {
      if (event.failed) failure = event.message;
      return true;
    });
  } catch {
    // 400: not starting and no failure to report
  }
  if (failure) {
    failed(failure);
  } else {
    offer();
  }
}

function offer() {
  const whose = user === window.hubInfo?.name ? 'Your server' : `The server of ${user}`;
  const name = server ? ` "${server}"` : '';
  showStart(mode === 'path'
    ? `${whose}${name} is not running. Start it to open ${target}.`
    : `${whose}${name} is not running.`);
  $('#start').focus();
}

async function main() {
  const info = await pageInfo();
  window.hubInfo = info;
  showAdminLink(info);
  $('#title').textContent = server ? `Server "${server}" of ${user}` : user === info.name ? 'Your server' : `Server of ${user}`;
  if (info.profiles.length > 0) {
    $('#profile-field').hidden = false;
    $('#profile').replaceChildren(...info.profiles.map((p) => el('option', { value: p.slug, selected: p.default }, p.display_name)));
  }
  $('#start').addEventListener('click', start);
  $('#retry').addEventListener('click', start);
  // The quota's standing (or a refusal's reason, before any start is tried); a pending start is not held up by it.
  const usage = watchUsage(user);
  await look();
  await usage;
}

main().catch((error) => say(error.message, 'error'));

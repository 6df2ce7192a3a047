// Small helpers shared by the pages: building elements safely (text, never HTML), dates, the status line.

/** An element with attributes and children; strings become text nodes, so nothing a user typed is parsed as HTML. */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export const $ = (selector) => document.querySelector(selector);

/** Announces a message in the page's live status region (read out by screen readers). */
export function say(message, kind = 'notice') {
  const status = $('#status');
  if (!status) return;
  status.textContent = message;
  status.className = kind;
}

/** "3 minutes ago", or "never". */
export function ago(iso) {
  if (!iso) return 'never';
  const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 60) return 'just now';
  const units = [['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [unit, size] of units) {
    if (seconds >= size) {
      const count = Math.floor(seconds / size);
      return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}

/** A server model's state in words: running, starting, stopping or stopped. */
export function stateOf(server) {
  if (!server) return 'stopped';
  if (server.ready) return 'running';
  if (server.pending === 'spawn') return 'starting';
  if (server.pending === 'stop') return 'stopping';
  return 'stopped';
}

/** Shows the Admin link for admins. */
export function showAdminLink(info) {
  const link = document.querySelector('nav a[href="/hub/admin"]');
  if (link) link.hidden = !info.admin;
}

/** Runs an async action from a button: disabled while it runs, errors reported in the status line. */
export async function busy(button, action) {
  if (button) button.disabled = true;
  try {
    await action();
  } catch (error) {
    say(error.message, 'error');
  } finally {
    if (button) button.disabled = false;
  }
}

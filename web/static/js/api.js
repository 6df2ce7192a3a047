// Calls to the hub's REST API from the pages. Cookie-authenticated changes carry the _xsrf cookie's value in
// X-XSRFToken, as JupyterHub's own pages do; errors arrive as problem+json and become ApiError with its message.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function xsrfToken() {
  const match = document.cookie.split('; ').find((c) => c.startsWith('_xsrf='));
  return match ? decodeURIComponent(match.slice('_xsrf='.length)) : '';
}

/**
 * A name as one URL path segment, escaped as JupyterHub escapes it (Python's quote(name, safe='@~')): everything but
 * ASCII letters, digits and -._~@ percent-encoded as UTF-8. The hub's C# builder (ServerUrls) is the original; a test
 * keeps the two equal.
 */
export function escapeSegment(name) {
  return encodeURIComponent(name)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%40/g, '@');
}

/** The path of a user's API resource, every name segment encoded. */
export function userPath(name, ...rest) {
  return '/hub/api/users/' + escapeSegment(name) + rest.map((part) => '/' + part).join('');
}

/** The path of a group's API resource, its name encoded (a '/' in it too). */
export function groupPath(name, ...rest) {
  return '/hub/api/groups/' + escapeSegment(name) + rest.map((part) => '/' + part).join('');
}

/** The API path of a server: the default one (name '') or a named one. */
export function serverPath(user, server) {
  return server ? userPath(user, 'servers', escapeSegment(server)) : userPath(user, 'server');
}

/** A server's base URL, where Jupyter answers: /user/{name}/ or /user/{name}/{server}/. */
export function serverUrl(user, server) {
  return '/user/' + escapeSegment(user) + '/' + (server ? escapeSegment(server) + '/' : '');
}

/** The page that follows a server's start: /hub/spawn-pending/{name}[/{server}]. */
export function spawnPendingUrl(user, server) {
  return '/hub/spawn-pending/' + escapeSegment(user) + (server ? '/' + escapeSegment(server) : '');
}

/** Sends a request; resolves to { status, body, headers } or throws ApiError. */
export async function api(method, path, { body, headers = {} } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (method !== 'GET' && method !== 'HEAD') {
    init.headers['X-XSRFToken'] = xsrfToken();
  }
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'The hub could not be reached. Check your connection and try again.');
  }
  const text = await response.text();
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) {
    const message = (parsed && (parsed.message || parsed.detail)) || `${response.status} ${response.statusText}`;
    if (response.status === 403 && !document.cookie.includes('_xsrf=')) {
      throw new ApiError(403, 'Your session has ended. Sign in again.');
    }
    throw new ApiError(response.status, message);
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export const getJson = async (path, headers) => (await api('GET', path, { headers })).body;

/** What the pages need to know about the hub and the caller: name, admin, authenticator, profiles. */
export const pageInfo = () => getJson('/hub/page-info');

/**
 * Follows a server-sent event stream (the spawn progress). Calls onEvent for every JSON event until the stream
 * ends, the signal aborts, or onEvent returns true. Throws ApiError when the stream cannot start (e.g. 400: the
 * server is not starting).
 */
export async function followEvents(path, onEvent, signal) {
  let response;
  try {
    response = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'text/event-stream' }, signal });
  } catch (error) {
    if (signal && signal.aborted) return;
    throw new ApiError(0, 'Lost contact with the hub while following the start.');
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const problem = await response.json();
      message = problem.message || problem.detail || message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, message);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
      if (data && onEvent(JSON.parse(data))) {
        await reader.cancel();
        return;
      }
    }
  }
}

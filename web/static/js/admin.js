// Admin: every user with their server's state, last activity (with the kind the server recorded) and server-hours;
// start/stop, add/remove, make admin; search, sort and paging done by the API (JupyterHub's pagination), so 5,000
// users load one page at a time; bulk start/stop for the selected users or for everyone matching the search or the
// chosen class (a group).
import { api, getJson, groupPath, pageInfo, serverPath, serverUrl, userPath } from './api.js';
import { $, ago, busy, el, say, showAdminLink, stateOf } from './ui.js';

const PAGINATED = { Accept: 'application/jupyterhub-pagination+json' };
const BULK_CONCURRENCY = 8;

const view = { offset: 0, limit: 50, sort: 'name', filter: '', state: '', group: '' };
const selected = new Set();
let info;
let total = 0;
let searchTimer = null;
let latestLoad = 0;

function query(offset, limit) {
  const parameters = new URLSearchParams({ offset: String(offset), limit: String(limit), sort: view.sort, include_stopped_servers: '1' });
  if (view.filter) parameters.set('name_filter', view.filter);
  if (view.state) parameters.set('state', view.state);
  if (view.group) parameters.set('group', view.group);
  return '/hub/api/users?' + parameters;
}

/** Fills the class select from GET /hub/api/groups (every page), keeping the current choice. */
async function loadGroups() {
  const groups = [];
  for (let offset = 0; ; offset += 200) {
    const page = await getJson(`/hub/api/groups?offset=${offset}&limit=200`, PAGINATED);
    groups.push(...page.items);
    if (!page._pagination.next) break;
  }
  const select = $('#group-filter');
  const options = groups.map((g) => el('option', { value: g.name }, g.users ? `${g.name} (${g.users.length})` : g.name));
  // A class emptied meanwhile stays selectable while chosen, so the table does not silently widen to everyone.
  if (view.group && !groups.some((g) => g.name === view.group)) options.push(el('option', { value: view.group }, `${view.group} (0)`));
  select.replaceChildren(el('option', { value: '' }, 'Everyone'), ...options);
  select.value = view.group;
}

async function load() {
  // Answers can arrive out of order (the first full page after a quick search); only the latest request may render.
  const mine = ++latestLoad;
  const page = await getJson(query(view.offset, view.limit), PAGINATED);
  if (mine !== latestLoad) return;
  total = page._pagination.total;
  render(page.items);
}

function render(users) {
  $('#rows').replaceChildren(...users.map(row));
  const first = total === 0 ? 0 : view.offset + 1;
  const last = Math.min(view.offset + users.length, total);
  $('#range').textContent = `Showing ${first}–${last} of ${total} users`;
  $('#previous').disabled = view.offset === 0;
  $('#next').disabled = view.offset + view.limit >= total;
  $('#all-count').textContent = String(total);
  $('#select-page').checked = users.length > 0 && users.every((u) => selected.has(u.name));
  for (const header of document.querySelectorAll('th[data-sort]')) {
    const field = header.dataset.sort;
    header.setAttribute('aria-sort', view.sort === field ? 'ascending' : view.sort === '-' + field ? 'descending' : 'none');
  }
  updateSelection();
}

/** Completed runs (used_seconds) plus the current run, in hours with one decimal; the current run's part beside it. */
function serverHours(server, state) {
  if (!server) return '';
  // A stopped server's "started" may be a run from before server-hours were counted: only a live run adds to it.
  const current = state !== 'stopped' && server.started ? Math.max(0, Date.now() - Date.parse(server.started)) / 3600000 : 0;
  const total = (server.used_seconds || 0) / 3600 + current;
  return state === 'running' || state === 'stopping' ? `${total.toFixed(1)} (${current.toFixed(1)} now)` : total.toFixed(1);
}

/**
 * The user's last activity; below it, when the server recorded one, the server's and its kind (what the culler
 * counted: a cell run, a save, a busy kernel…), so an admin sees why a server is kept or was culled.
 */
function lastActivity(user, server) {
  const when = el('time', { datetime: user.last_activity || '' }, ago(user.last_activity));
  if (!server || !server.last_activity_kind) return when;
  return [when, el('br'), el('span', { class: 'muted activity-kind' },
    'server: ', el('time', { datetime: server.last_activity || '' }, ago(server.last_activity)), ` (${server.last_activity_kind})`)];
}

function row(user) {
  const server = (user.servers || {})[''];
  const state = stateOf(server);
  return el('tr', { dataset: { user: user.name } },
    el('td', { 'data-label': 'Select' }, el('input', {
      type: 'checkbox', 'aria-label': `Select ${user.name}`, checked: selected.has(user.name),
      onchange: (e) => { e.currentTarget.checked ? selected.add(user.name) : selected.delete(user.name); updateSelection(); },
    })),
    el('td', { 'data-label': 'Name' }, user.name),
    el('td', { 'data-label': 'Admin' }, user.admin ? 'admin' : ''),
    el('td', { 'data-label': 'Server' }, el('span', { class: `state state-${state}` }, state)),
    el('td', { 'data-label': 'Server-hours' }, serverHours(server, state)),
    el('td', { 'data-label': 'Last activity' }, lastActivity(user, server)),
    el('td', { 'data-label': 'Actions' }, el('div', { class: 'actions' },
      state === 'stopped'
        ? el('button', { class: 'small', 'aria-label': `Start server of ${user.name}`, onclick: (e) => busy(e.currentTarget, () => act(() => startServer(user.name), `Started the server of ${user.name}.`)) }, 'Start')
        : el('button', { class: 'small', 'aria-label': `Stop server of ${user.name}`, disabled: state === 'stopping', onclick: (e) => busy(e.currentTarget, () => act(() => stopServer(user.name), `Stopped the server of ${user.name}.`)) }, 'Stop'),
      state === 'running' ? el('a', { class: 'button small', href: serverUrl(user.name, ''), 'aria-label': `Open server of ${user.name}` }, 'Open') : null,
      el('button', { class: 'small', 'aria-label': `${user.admin ? 'Remove admin from' : 'Make admin'} ${user.name}`, disabled: user.name === info.name, onclick: (e) => busy(e.currentTarget, () => act(() => api('PATCH', userPath(user.name), { body: { admin: !user.admin } }), `${user.name} is ${user.admin ? 'no longer' : 'now'} an admin.`)) }, user.admin ? 'Remove admin' : 'Make admin'),
      el('button', { class: 'small danger', 'aria-label': `Delete ${user.name}`, disabled: user.name === info.name, onclick: (e) => busy(e.currentTarget, () => removeUser(user.name)) }, 'Delete'))));
}

const startServer = (name) => api('POST', serverPath(name, ''), { body: {} });

async function stopServer(name) {
  try {
    await api('DELETE', serverPath(name, ''));
  } catch (error) {
    if (error.status !== 400) throw error; // 400: already stopping
  }
}

async function act(action, message) {
  await action();
  say(message);
  await load();
}

async function removeUser(name) {
  if (!window.confirm(`Delete ${name}? Their server is stopped; their files are kept.`)) return;
  await stopServer(name);
  await api('DELETE', userPath(name));
  selected.delete(name);
  say(`Deleted ${name}.`);
  await Promise.all([load(), loadGroups()]);
}

function updateSelection() {
  $('#selected-count').textContent = String(selected.size);
  $('#start-selected').disabled = $('#stop-selected').disabled = selected.size === 0;
}

/** Runs action for every name, a few at a time; reports how many worked and the first failure. */
async function forEach(names, verb, action) {
  let done = 0;
  let failures = 0;
  let firstError = '';
  const queue = [...names];
  say(`${verb} ${names.length} servers…`);
  const worker = async () => {
    while (queue.length > 0) {
      const name = queue.shift();
      try {
        await action(name);
        done++;
      } catch (error) {
        if (error.status === 400) {
          done++; // already in the requested state
        } else {
          failures++;
          firstError ||= `${name}: ${error.message}`;
        }
      }
      if ((done + failures) % 25 === 0) say(`${verb} servers: ${done + failures} of ${names.length}…`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, names.length) }, worker));
  say(failures === 0 ? `${verb} ${done} servers: done.` : `${verb} servers: ${done} done, ${failures} failed (${firstError}).`, failures === 0 ? 'notice' : 'error');
  await load();
}

/** Every user matching the current search and state filter, page by page. */
async function allMatching() {
  const names = [];
  for (let offset = 0; ; offset += 200) {
    const page = await getJson(query(offset, 200), PAGINATED);
    names.push(...page.items.map((u) => u.name));
    if (!page._pagination.next) return names;
  }
}

async function addUsers(event) {
  event.preventDefault();
  const names = $('#new-users').value.split(/[\s,;]+/).map((n) => n.trim()).filter(Boolean);
  const group = $('#new-group').value.trim();
  if (names.length === 0) {
    say('Enter at least one user name.', 'error');
    $('#new-users').focus();
    return;
  }
  await busy(event.submitter, async () => {
    try {
      await api('POST', '/hub/api/users', { body: { usernames: names, admin: $('#new-admin').checked } });
    } catch (error) {
      // 409: every one of them exists already; they can still join the class.
      if (!(group && error.status === 409)) throw error;
    }
    const users = `${names.length} user${names.length === 1 ? '' : 's'}`;
    if (group) {
      await api('POST', groupPath(group, 'users'), { body: { users: names } });
      $('#new-group').value = '';
    }
    $('#new-users').value = '';
    say(group ? `Added ${users} to ${group}.` : `Added ${users}.`);
    await loadGroups();
    await load();
  });
}

/** Who "all matching" means, in words for the confirm dialog. */
const matching = () => (view.group ? `all ${total} matching users in ${view.group}` : `all ${total} matching users`);

async function main() {
  info = await pageInfo();
  showAdminLink(info);
  $('#search').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      view.filter = $('#search').value.trim();
      view.offset = 0;
      load().catch((error) => say(error.message, 'error'));
    }, 250);
  });
  $('#state-filter').addEventListener('change', () => { view.state = $('#state-filter').value; view.offset = 0; load().catch((e) => say(e.message, 'error')); });
  $('#group-filter').addEventListener('change', () => { view.group = $('#group-filter').value; view.offset = 0; load().catch((e) => say(e.message, 'error')); });
  $('#page-size').addEventListener('change', () => { view.limit = Number($('#page-size').value); view.offset = 0; load().catch((e) => say(e.message, 'error')); });
  for (const header of document.querySelectorAll('th[data-sort]')) {
    header.querySelector('button').addEventListener('click', () => {
      const field = header.dataset.sort;
      view.sort = view.sort === field ? '-' + field : field;
      view.offset = 0;
      load().catch((e) => say(e.message, 'error'));
    });
  }
  $('#previous').addEventListener('click', () => { view.offset = Math.max(0, view.offset - view.limit); load().catch((e) => say(e.message, 'error')); });
  $('#next').addEventListener('click', () => { view.offset += view.limit; load().catch((e) => say(e.message, 'error')); });
  $('#select-page').addEventListener('change', (e) => {
    for (const box of document.querySelectorAll('#rows input[type="checkbox"]')) {
      const name = box.closest('tr').dataset.user;
      box.checked = e.currentTarget.checked;
      e.currentTarget.checked ? selected.add(name) : selected.delete(name);
    }
    updateSelection();
  });
  $('#start-selected').addEventListener('click', (e) => busy(e.currentTarget, () => forEach([...selected], 'Starting', startServer)));
  $('#stop-selected').addEventListener('click', (e) => busy(e.currentTarget, () => forEach([...selected], 'Stopping', stopServer)));
  $('#start-all').addEventListener('click', (e) => busy(e.currentTarget, async () => {
    if (!window.confirm(`Start the servers of ${matching()}?`)) return;
    await forEach(await allMatching(), 'Starting', startServer);
  }));
  $('#stop-all').addEventListener('click', (e) => busy(e.currentTarget, async () => {
    if (!window.confirm(`Stop the servers of ${matching()}?`)) return;
    await forEach(await allMatching(), 'Stopping', stopServer);
  }));
  $('#add-users').addEventListener('submit', addUsers);
  await Promise.all([load(), loadGroups()]);
}

main().catch((error) => say(error.message, 'error'));

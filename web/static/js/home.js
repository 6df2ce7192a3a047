// Home: my default server's state with start, stop and open; my named servers; the profile choice when the hub
// offers profiles. The state is refreshed while something is on its way.
import { api, getJson, pageInfo, serverPath, serverUrl as urlOf, spawnPendingUrl, userPath } from './api.js';
import { $, ago, busy, el, say, showAdminLink, stateOf } from './ui.js';
import { showUsage, watchUsage } from './usage.js';

let info;
let refreshTimer = null;

const serverUrl = (server) => urlOf(info.name, server);
const pendingUrl = (server) => spawnPendingUrl(info.name, server);

function startOptions() {
  return !$('#profile-field').hidden && $('#profile').value ? { profile: $('#profile').value } : {};
}

async function start(server) {
  const response = await api('POST', serverPath(info.name, server), { body: startOptions() });
  location.assign(response.status === 201 ? serverUrl(server) : pendingUrl(server));
}

async function stop(server, remove = false) {
  const response = await api('DELETE', serverPath(info.name, server), remove ? { body: { remove: true } } : {});
  say(response.status === 202 ? 'Stopping…' : remove ? 'Server removed.' : 'Server stopped.');
  await refresh();
  await showUsage(info.name);
}

function renderDefault(server) {
  const state = stateOf(server);
  $('#state').textContent = state;
  $('#state').className = `state state-${state}`;
  $('#start').hidden = state !== 'stopped';
  $('#open').hidden = state !== 'running' && state !== 'starting';
  $('#open').textContent = state === 'starting' ? 'Follow the start' : 'Open my server';
  $('#open').href = state === 'starting' ? pendingUrl('') : serverUrl('');
  $('#stop').hidden = state === 'stopped' || state === 'stopping';
  $('#profile-field').hidden = state !== 'stopped' || info.profiles.length === 0;
  $('#last-activity').textContent = server ? ago(server.last_activity) : 'never';
}

function renderNamed(servers) {
  const named = Object.values(servers).filter((s) => s.name !== '').sort((a, b) => a.name.localeCompare(b.name));
  $('#named-empty').hidden = named.length > 0;
  $('#named-table').hidden = named.length === 0;
  $('#named-rows').replaceChildren(...named.map((server) => {
    const state = stateOf(server);
    const label = `server ${server.name}`;
    return el('tr', {},
      el('td', { 'data-label': 'Name' }, server.name),
      el('td', { 'data-label': 'State' }, el('span', { class: `state state-${state}` }, state)),
      el('td', { 'data-label': 'Last activity' }, ago(server.last_activity)),
      el('td', { 'data-label': 'Actions' }, el('div', { class: 'actions' },
        state === 'running' ? el('a', { class: 'button small primary', href: serverUrl(server.name), 'aria-label': `Open ${label}` }, 'Open') : null,
        state === 'stopped' ? el('button', { class: 'small', 'aria-label': `Start ${label}`, onclick: (e) => busy(e.currentTarget, () => start(server.name)) }, 'Start') : null,
        state === 'running' || state === 'starting' ? el('button', { class: 'small', 'aria-label': `Stop ${label}`, onclick: (e) => busy(e.currentTarget, () => stop(server.name)) }, 'Stop') : null,
        state === 'stopped' ? el('button', { class: 'small danger', 'aria-label': `Remove ${label}`, onclick: (e) => busy(e.currentTarget, () => stop(server.name, true)) }, 'Remove') : null)));
  }));
}

async function refresh() {
  clearTimeout(refreshTimer);
  const model = await getJson(userPath(info.name) + '?include_stopped_servers=1');
  const servers = model.servers || {};
  renderDefault(servers['']);
  renderNamed(servers);
  if (Object.values(servers).some((s) => s.pending)) {
    refreshTimer = setTimeout(() => refresh().catch((error) => say(error.message, 'error')), 2000);
  }
}

async function main() {
  info = await pageInfo();
  showAdminLink(info);
  $('#who').textContent = info.name;
  if (info.profiles.length > 0) {
    $('#profile-field').hidden = false;
    $('#profile').replaceChildren(...info.profiles.map((p) => el('option', { value: p.slug, selected: p.default }, p.display_name)));
  }
  watchUsage(info.name);
  $('#start').addEventListener('click', (e) => busy(e.currentTarget, () => start('')));
  $('#stop').addEventListener('click', (e) => busy(e.currentTarget, () => stop('')));
  $('#new-named').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = $('#server-name').value.trim();
    if (!/^[^/\\?#%\s]{1,255}$/.test(name)) {
      say('A server name is 1 to 255 characters without spaces, slashes, ?, # or %.', 'error');
      $('#server-name').focus();
      return;
    }
    busy(e.submitter, () => start(name));
  });
  await refresh();
}

main().catch((error) => say(error.message, 'error'));

// Admin: usage per user and per group for a chosen period (GET /hub/api/usage, our extension), with the CSV export of
// the same report, and each user's home size against its quota.
import { getJson } from './api.js';
import { $, el, say } from './ui.js';

const hours = (n) => (Math.round(n * 100) / 100).toString();

/** "12.3 MiB of 10.0 GiB", marked when nearly full; "at least" when the folder was too large to add up in time; empty when not measured. */
function home(user) {
  if (user.home_bytes === null || user.home_bytes === undefined) return '';
  // Binary units, as share quotas are set (ContainerInstances__ShareQuotaGiB).
  const size = (bytes) => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`);
  const used = user.home_complete === false ? `at least ${size(user.home_bytes)}` : size(user.home_bytes);
  const text = user.home_quota_bytes ? `${used} of ${size(user.home_quota_bytes)}` : used;
  return user.home_nearly_full ? el('strong', { class: 'error' }, `${text} (nearly full)`) : text;
}

/** Fullness for sorting: the used share of the quota, or for homes without a quota their size below every share. */
function fullness(user) {
  if (user.home_bytes === null || user.home_bytes === undefined) return -1;
  return user.home_quota_bytes ? user.home_bytes / user.home_quota_bytes : user.home_bytes / 1e18;
}

const orders = {
  name: (a, b) => a.name.localeCompare(b.name),
  hours: (a, b) => b.server_hours - a.server_hours || a.name.localeCompare(b.name),
  home: (a, b) => fullness(b) - fullness(a) || a.name.localeCompare(b.name),
};

function reportPath(format) {
  const period = $('#usage-period-exact').value.trim() || $('#usage-period').value;
  const parameters = new URLSearchParams({ period });
  if (format) parameters.set('format', format);
  return '/hub/api/usage?' + parameters;
}

let shown = null;

async function load() {
  shown = await getJson(reportPath());
  $('#usage-csv').href = reportPath('csv');
  render(shown);
}

function render(report) {
  const money = (n) => (report.currency ? `${hours(n)} ${report.currency}` : hours(n));
  $('#usage-range').textContent = `${report.period}: ${new Date(report.start).toUTCString()} to ${new Date(report.end).toUTCString()}`;
  const used = report.users.filter((u) => u.server_hours > 0 || u.quota_limit !== null || u.home_bytes)
    .sort(orders[$('#usage-sort').value] || orders.name);
  $('#usage-user-rows').replaceChildren(...used.map((u) => el('tr', { 'data-user': u.name, class: u.home_nearly_full ? 'nearly-full' : null },
    el('td', { 'data-label': 'User' }, u.name),
    el('td', { 'data-label': 'Groups' }, u.groups.join(', ')),
    el('td', { 'data-label': 'Hours run' }, hours(u.server_hours)),
    el('td', { 'data-label': 'vCPU-hours' }, hours(u.vcpu_hours)),
    el('td', { 'data-label': 'GB-hours' }, hours(u.gb_hours)),
    el('td', { 'data-label': 'Cost' }, money(u.cost)),
    el('td', { 'data-label': 'Quota' }, u.quota_limit === null ? 'none' : `${hours(u.quota_used)} of ${hours(u.quota_limit)} ${report.quota_unit}`),
    el('td', { 'data-label': 'Home', title: u.home_measured ? `measured ${new Date(u.home_measured).toUTCString()}` : null }, home(u)))));
  $('#usage-users-empty').hidden = used.length > 0;
  $('#usage-group-rows').replaceChildren(...report.groups.map((g) => el('tr', {},
    el('td', { 'data-label': 'Group' }, g.name),
    el('td', { 'data-label': 'Hours run' }, hours(g.server_hours)),
    el('td', { 'data-label': 'vCPU-hours' }, hours(g.vcpu_hours)),
    el('td', { 'data-label': 'GB-hours' }, hours(g.gb_hours)),
    el('td', { 'data-label': 'Cost' }, money(g.cost)),
    el('td', { 'data-label': 'Budget' }, g.budget === null ? 'none' : money(g.budget)))));
}

function reload() {
  load().catch((error) => say(error.message, 'error'));
}

$('#usage-period').addEventListener('change', reload);
$('#usage-sort').addEventListener('change', () => {
  if (shown) render(shown);
});
$('#usage-form').addEventListener('submit', (event) => {
  event.preventDefault();
  reload();
});
reload();

// Tokens: create an API token with a note, a lifetime and scopes (shown once), list mine, revoke them.
import { api, getJson, pageInfo, userPath } from './api.js';
import { $, ago, busy, el, say, showAdminLink } from './ui.js';

let info;

function scopes() {
  const chosen = [...document.querySelectorAll('input[name="scope"]:checked')].map((box) => box.value.replace('{user}', info.name));
  const extra = $('#extra-scopes').value.split(/[\s,]+/).filter(Boolean);
  return [...chosen, ...extra];
}

async function create(event) {
  event.preventDefault();
  await busy(event.submitter, async () => {
    const body = { note: $('#note').value.trim() || 'Requested from the token page', scopes: scopes() };
    const lifetime = Number($('#expires').value);
    if (lifetime > 0) body.expires_in = lifetime;
    if (body.scopes.length === 0) {
      say('Choose at least one scope.', 'error');
      return;
    }
    const created = (await api('POST', userPath(info.name, 'tokens'), { body })).body;
    $('#new-token').textContent = created.token;
    $('#new-token-panel').hidden = false;
    $('#new-token-panel').focus();
    say('Token created. Copy it now: it is not shown again.');
    await list();
  });
}

async function list() {
  const tokens = (await getJson(userPath(info.name, 'tokens'))).api_tokens;
  $('#tokens-empty').hidden = tokens.length > 0;
  $('#tokens-table').hidden = tokens.length === 0;
  $('#token-rows').replaceChildren(...tokens.map((token) => el('tr', { dataset: { token: token.id } },
    el('td', { 'data-label': 'Note' }, token.note),
    el('td', { 'data-label': 'Scopes' }, token.scopes.join(', ')),
    el('td', { 'data-label': 'Created' }, ago(token.created)),
    el('td', { 'data-label': 'Last used' }, ago(token.last_activity)),
    el('td', { 'data-label': 'Expires' }, token.expires_at ? new Date(token.expires_at).toLocaleString() : 'never'),
    el('td', { 'data-label': 'Actions' }, el('button', {
      class: 'small danger', 'aria-label': `Revoke token ${token.note}`,
      onclick: (e) => busy(e.currentTarget, async () => {
        await api('DELETE', userPath(info.name, 'tokens', encodeURIComponent(token.id)));
        say(`Revoked "${token.note}".`);
        await list();
      }),
    }, 'Revoke')))));
}

async function main() {
  info = await pageInfo();
  showAdminLink(info);
  $('#create').addEventListener('submit', create);
  $('#copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($('#new-token').textContent);
      say('Copied.');
    } catch {
      say('Copying is not allowed here; select the token and copy it.', 'error');
    }
  });
  await list();
}

main().catch((error) => say(error.message, 'error'));

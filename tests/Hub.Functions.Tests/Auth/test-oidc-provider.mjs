// A real OpenID Connect provider (oidc-provider from npm) over TLS on 127.0.0.1, for the sign-in tests.
// Settings come from the environment:
//   CERT_FILE, KEY_FILE   PEM certificate and key for TLS
//   CLIENT_ID, CLIENT_SECRET, REDIRECT_URI   the hub's client registration
//   TENANT                when set, the provider looks like Microsoft Entra ID for that tenant: issuer
//                         /{tenant}/v2.0, endpoints /{tenant}/oauth2/v2.0/…, tid and oid claims, client_info
//   GROUPS                JSON object: login name -> list of groups
//   OVERAGE               JSON list of login names in too many groups: their tokens carry Entra's group overage
//                         indicator (_claim_names/_claim_sources pointing at Microsoft Graph) instead of groups
// The login page is a plain form (field "login"); posting it signs in as that name and grants consent.
// Prints "listening on <port>" when ready.
import https from 'node:https';
import fs from 'node:fs';
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

const env = process.env;
const tenant = env.TENANT || '';
const groups = JSON.parse(env.GROUPS || '{}');
const overage = new Set(JSON.parse(env.OVERAGE || '[]'));
const prefix = tenant ? `/${tenant}` : '';
const oid = (login) => {
  const h = crypto.createHash('sha256').update(login).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

let provider;
const server = https.createServer({ cert: fs.readFileSync(env.CERT_FILE), key: fs.readFileSync(env.KEY_FILE) }, (req, res) => {
  const url = new URL(req.url, 'https://localhost');
  if (url.pathname.startsWith(`${prefix}/interaction/`)) {
    interaction(req, res, url).catch((error) => { res.statusCode = 500; res.end(String(error)); });
    return;
  }
  if (!url.pathname.startsWith(`${prefix}/`)) {
    res.statusCode = 404;
    res.end();
    return;
  }
  // Mount the provider under the prefix; Entra publishes its discovery document under /{tenant}/v2.0.
  const rest = req.url.slice(prefix.length) || '/';
  if (tenant && rest.startsWith('/v2.0/.well-known/openid-configuration')) {
    req.url = rest.slice('/v2.0'.length);
  } else {
    req.url = rest;
  }
  req.originalUrl = prefix + req.url;
  provider.callback()(req, res);
});

async function interaction(req, res, url) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!DOCTYPE html><form method="post" action="${url.pathname}"><label>Login <input name="login"></label><button>Sign in</button></form>`);
    return;
  }
  let body = '';
  for await (const chunk of req) body += chunk;
  const login = new URLSearchParams(body).get('login');
  const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId: login }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = tenant ? `https://127.0.0.1:${port}/${tenant}/v2.0` : `https://127.0.0.1:${port}`;
  provider = new Provider(issuer, {
    clients: [{
      client_id: env.CLIENT_ID,
      client_secret: env.CLIENT_SECRET,
      redirect_uris: [env.REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    findAccount: async (ctx, id) => ({
      accountId: id,
      async claims() {
        const memberships = overage.has(id)
          ? {
            _claim_names: { groups: 'src1' },
            _claim_sources: { src1: { endpoint: `https://graph.microsoft.com/v1.0/users/${oid(id)}/getMemberObjects` } },
          }
          : { groups: groups[id] || [] };
        return {
          sub: tenant ? oid(`${id}/pairwise`) : id,
          oid: oid(id),
          tid: tenant || undefined,
          name: `Display ${id}`,
          preferred_username: `${id}@example.edu`,
          email: `${id}@example.edu`,
          ...memberships,
        };
      },
    }),
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'oid', 'tid', 'groups'], email: ['email'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `${prefix}/interaction/${interaction.uid}` },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    routes: tenant
      ? { authorization: '/oauth2/v2.0/authorize', token: '/oauth2/v2.0/token', jwks: '/discovery/v2.0/keys', userinfo: '/oidc/userinfo' }
      : {},
  });
  provider.proxy = false;
  if (tenant) {
    // Entra's token response carries client_info (uid, utid), which MSAL reads for Entra authorities.
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.path === '/oauth2/v2.0/token' && ctx.body && ctx.body.id_token) {
        const claims = JSON.parse(Buffer.from(ctx.body.id_token.split('.')[1], 'base64url').toString());
        ctx.body = { ...ctx.body, client_info: Buffer.from(JSON.stringify({ uid: claims.oid, utid: claims.tid })).toString('base64url') };
      }
    });
  }
  console.log(`listening on ${port}`);
});

// A real OpenID Connect provider for the sign-in tests: panva/oidc-provider (certified),
// started by tests/oidc_provider.py. Its own login page (devInteractions) takes any
// login name; the account's e-mail is that name when it holds an "@".
//
// Environment: PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS and
// POST_LOGOUT_REDIRECT_URIS (space-separated).
//
// For the tests only, POST /__test__/expired-id-tokens with body "1" makes the token
// endpoint issue ID tokens that expired an hour ago (its clock is set two hours back
// while it answers); "0" turns that off.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const split = (value) => (value || '').split(' ').filter(Boolean);

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: split(process.env.REDIRECT_URIS),
    post_logout_redirect_uris: split(process.env.POST_LOGOUT_REDIRECT_URIS),
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  // Every client must send PKCE (S256), so the app's verifier is really checked.
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  },
  async findAccount(ctx, id) {
    const email = id.includes('@') ? id : `${id}@test.invalid`;
    const local = email.split('@')[0];
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email,
          email_verified: !local.startsWith('unverified'),
          name: local,
          given_name: local,
          family_name: 'Testsson',
          preferred_username: email,
        };
      },
    };
  },
  // A first-party client: the scopes are granted without a consent page.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 600,
    Grant: 86400,
    IdToken: 3600,
    Interaction: 3600,
    Session: 86400,
  },
  cookies: { keys: ['prioritering-test-provider'] },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
});

let expiredIdTokens = false;
const realNow = Date.now;

provider.use(async (ctx, next) => {
  if (ctx.path === '/__test__/expired-id-tokens' && ctx.method === 'POST') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    expiredIdTokens = Buffer.concat(chunks).toString().trim() === '1';
    ctx.body = { expiredIdTokens };
    return;
  }
  if (expiredIdTokens && ctx.path === '/token') {
    Date.now = () => realNow() - 2 * 3600 * 1000;
    try {
      await next();
    } finally {
      Date.now = realNow;
    }
    return;
  }
  await next();
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});

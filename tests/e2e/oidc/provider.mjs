// A real OpenID Connect provider for the browser test of single sign-on (tests/e2e/test_sso.py): the certified
// `oidc-provider` package from npm (installed by scripts/e2e_prereqs.sh into var/e2e/oidc), on 127.0.0.1 only.
// Its development sign-in form accepts any login; the login names below carry the groups the test maps.
// Usage: node provider.mjs <modules dir> <port> <client_id> <client_secret> <redirect_uri> <post_logout_uri>
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [modules, port, clientId, clientSecret, redirectUri, postLogoutUri] = process.argv.slice(2);
const { default: Provider } = await import(pathToFileURL(path.join(modules, 'oidc-provider', 'lib', 'index.js')));

const people = {
  carla: { email: 'carla@example.com', given_name: 'Carla', family_name: 'Meyer', groups: ['cx-managers'] },
  sam: { email: 'sam@example.com', given_name: 'Sam', family_name: 'Lund', groups: ['dept-sales', 'Domain Users'] },
  eve: { email: 'eve@example.com', given_name: 'Eve', family_name: 'Stone', groups: ['Domain Users'] },
};

const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [postLogoutUri],
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['preferred_username', 'given_name', 'family_name'],
    groups: ['groups'],
  },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['cx-portal-e2e-only'] },
  async findAccount(ctx, id) {
    const person = people[id] || { email: `${id}@example.com`, groups: [] };
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: id, email_verified: true, ...person };
      },
    };
  },
});
provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});

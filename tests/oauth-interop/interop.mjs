// Interoperability check with an independent OAuth 2.0 client library (oauth4webapi, by panva):
// discovery, client credentials, authorization code + PKCE (S256) with RFC 9207 `iss` validation,
// refresh-token rotation, and RFC 9068 access-token validation — each followed by a call to the Orders API.
// Run by tests/Orders.OAuth.Tests (InteropTests) against servers it started; inputs come from the environment.
// Prints one line per check and exits non-zero on the first failure.
import * as oauth from 'oauth4webapi';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
};

// Loopback test servers speak plain http; oauth4webapi refuses it unless told per request.
const insecure = { [oauth.allowInsecureRequests]: true };
const issuer = new URL(env('ISSUER'));
const api = new URL(env('API'));

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`ok - ${message}`);
}

async function callApi(accessToken) {
  const response = await oauth.protectedResourceRequest(accessToken, 'GET', new URL('/api/v1/me', api), undefined, undefined, insecure);
  return { status: response.status, body: response.status === 200 ? await response.json() : null };
}

// The browser part of the code flow, done with fetch: follow the redirects by hand, keep cookies, read the
// forms (antiforgery token and the carried request) from the served HTML, sign in, then allow.
async function signInAndConsent(authorizationUrl, userName, password) {
  const cookies = new Map();
  const send = async (url, init = {}) => {
    const headers = new Headers(init.headers);
    if (cookies.size) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const index = pair.indexOf('=');
      cookies.set(pair.slice(0, index), pair.slice(index + 1));
    }
    return response;
  };
  const hiddenFields = (html) => {
    const fields = new URLSearchParams();
    const decode = (s) => s.replaceAll('&quot;', '"').replaceAll('&#x2B;', '+').replaceAll('&#x2F;', '/').replaceAll('&#x3D;', '=')
      .replace(/&#x([0-9A-Fa-f]+);/g, (_, hex) => String.fromCodePoint(parseInt(hex, 16))).replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
    for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
      fields.append(decode(match[1]), decode(match[2]));
    }
    return fields;
  };

  let response = await send(authorizationUrl);
  check(response.status === 302, 'authorization request redirects to the login page');
  const loginUrl = new URL(response.headers.get('location'), issuer);
  response = await send(loginUrl);
  const login = hiddenFields(await response.text());
  login.set('username', userName);
  login.set('password', password);
  response = await send(new URL('/account/login', issuer), { method: 'POST', body: login });
  check(response.status === 302, 'login accepted');
  response = await send(new URL(response.headers.get('location'), issuer));
  check(response.status === 200, 'consent page shown');
  const consent = hiddenFields(await response.text());
  consent.set('decision', 'accept');
  response = await send(new URL('/connect/authorize', issuer), { method: 'POST', body: consent });
  check(response.status === 302, 'consent redirects back to the client');
  return new URL(response.headers.get('location'));
}

async function codeFlow(as, client, clientAuth, redirectUri, scope) {
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', scope);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');

  const callback = await signInAndConsent(url, env('USERNAME'), env('PASSWORD'));
  // Checks state, and iss against the discovered issuer (the server advertises RFC 9207 support).
  const params = oauth.validateAuthResponse(as, client, callback, state);
  check(callback.searchParams.get('iss') === as.issuer, `${client.client_id}: authorization response carries iss (RFC 9207)`);
  const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, redirectUri, verifier, insecure);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  check(typeof tokens.access_token === 'string', `${client.client_id}: code + PKCE exchanged for an access token`);
  return tokens;
}

async function validateAccessToken(as, accessToken, audience) {
  // RFC 9068 validation by the library: typ at+jwt, signature with a key from the JWKS, iss, aud, exp, iat, sub, jti.
  const request = new Request(new URL('/api/v1/me', api), { headers: { authorization: `Bearer ${accessToken}` } });
  return oauth.validateJwtAccessToken(as, request, audience, insecure);
}

const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
check(as.issuer === issuer.href, 'discovery document names the issuer');
check(JSON.stringify(as.code_challenge_methods_supported) === '["S256"]', 'only S256 is offered for PKCE');

// 1. Client credentials.
{
  const client = { client_id: env('WORKER_ID') };
  const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(env('WORKER_SECRET')),
    new URLSearchParams({ scope: 'orders:read' }), insecure);
  const tokens = await oauth.processClientCredentialsResponse(as, client, response);
  const claims = await validateAccessToken(as, tokens.access_token, 'orders-api');
  check(claims.sub === 'client:' + client.client_id && claims.client_id === client.client_id && claims.scope === 'orders:read', 'client credentials: RFC 9068 access token validated by oauth4webapi');
  const me = await callApi(tokens.access_token);
  check(me.status === 200 && me.body.subject === 'client:' + client.client_id, 'client credentials: Orders API answers 200');

  const wrong = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic('wrong-secret-wrong-secret'),
    new URLSearchParams({ scope: 'orders:read' }), insecure);
  let refused = false;
  try { await oauth.processClientCredentialsResponse(as, client, wrong); } catch (error) {
    // A 401 surfaces either as a body error or as a WWW-Authenticate challenge, depending on the headers.
    refused = error.status === 401 && JSON.stringify({ error: error.error, cause: error.cause }).includes('invalid_client');
  }
  check(refused, 'client credentials: a wrong secret is refused (401 invalid_client)');
}

// 2. Authorization code + PKCE, confidential client, then refresh rotation.
{
  const client = { client_id: env('WEB_ID') };
  const clientAuth = oauth.ClientSecretBasic(env('WEB_SECRET'));
  const tokens = await codeFlow(as, client, clientAuth, env('WEB_REDIRECT'), 'orders:read offline_access');
  const claims = await validateAccessToken(as, tokens.access_token, 'orders-api');
  check(claims.client_id === client.client_id, 'code + PKCE: RFC 9068 access token validated by oauth4webapi');
  const me = await callApi(tokens.access_token);
  check(me.status === 200 && me.body.subject === claims.sub, 'code + PKCE: Orders API answers 200 for the user');

  const refreshed = await oauth.processRefreshTokenResponse(as, client,
    await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token, insecure));
  check(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, 'refresh: a new refresh token replaces the old one');
  check((await callApi(refreshed.access_token)).status === 200, 'refresh: the new access token is accepted by the Orders API');
  let replayRefused = false;
  try {
    await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token, insecure));
  } catch (error) { replayRefused = error.error === 'invalid_grant'; }
  check(replayRefused, 'refresh: the used refresh token is refused (invalid_grant)');
}

// 3. Authorization code + PKCE, public client (a SPA or native app: no secret, PKCE is the only proof).
{
  const client = { client_id: env('SPA_ID') };
  const tokens = await codeFlow(as, client, oauth.None(), env('SPA_REDIRECT'), 'orders:read');
  check((await callApi(tokens.access_token)).status === 200, 'public client: Orders API answers 200');
}

console.log('interop: all checks passed');

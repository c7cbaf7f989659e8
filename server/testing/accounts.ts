import type { Role, TokenScope } from '../../contracts/auth.js';
import { cookieFrom, type TestApp } from './test-app.js';

/** A signed-in browser: the cookie and the CSRF token to send back. */
export interface Browser {
  id: string;
  email: string;
  cookie: string;
  csrf: string;
  /** Headers for a cookie-authenticated request (with CSRF). */
  headers: Record<string, string>;
}

/** A password that passes the policy. */
export const GOOD_PASSWORD = 'violet tangerine hovercraft 42';

function browser(res: { headers: Record<string, unknown>; json: () => unknown }): Browser {
  const me = res.json() as { id: string; email: string; csrfToken: string };
  const cookie = cookieFrom(res.headers['set-cookie'] as string | string[] | undefined);
  return {
    id: me.id,
    email: me.email,
    cookie,
    csrf: me.csrfToken,
    headers: { cookie, 'x-csrf-token': me.csrfToken },
  };
}

/** Creates the owner through first-run setup and returns their browser. */
export async function setupOwner(t: TestApp, email = 'owner@example.com'): Promise<Browser> {
  const res = await t.app.http.inject({
    method: 'POST',
    url: '/api/v1/setup/owner',
    payload: { email, password: GOOD_PASSWORD },
  });
  if (res.statusCode !== 201) throw new Error(`setup failed: ${res.statusCode} ${res.body}`);
  return browser(res);
}

/** Signs in with e-mail and the shared good password. */
export async function signInAs(t: TestApp, email: string, password = GOOD_PASSWORD): Promise<Browser> {
  const res = await t.app.http.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  return browser(res);
}

/** An admin (or the owner) creates a user with a role; returns that user signed in. */
export async function addUser(t: TestApp, by: Browser, email: string, role: Role): Promise<Browser> {
  const res = await t.app.http.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: by.headers,
    payload: { email, password: GOOD_PASSWORD, role },
  });
  if (res.statusCode !== 201) throw new Error(`create user failed: ${res.statusCode} ${res.body}`);
  return signInAs(t, email);
}

/** Mints an API token for the browser's user; returns the raw token and its id. */
export async function mintToken(
  t: TestApp,
  as: Browser,
  scope: TokenScope,
  expiresInDays?: number,
): Promise<{ token: string; id: string }> {
  const res = await t.app.http.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: as.headers,
    payload: { name: `${scope} token`, scope, ...(expiresInDays !== undefined && { expiresInDays }) },
  });
  if (res.statusCode !== 201) throw new Error(`mint token failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{ token: string; id: string }>();
  return { token: body.token, id: body.id };
}

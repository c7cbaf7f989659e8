import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** The test provider's client secret (playwright.config.ts configures Pulse with it). */
export const TEST_IDP_CLIENT_SECRET = 'a client secret of the test provider, long enough';

/** A person with an account at the test identity provider. */
export interface IdpAccount {
  email?: string;
  emailVerified?: boolean;
}

/** A real OpenID provider (oidc-provider) on 127.0.0.1 with one confidential client. */
export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds or changes an account: `login` is its subject. */
  account(login: string, account: IdpAccount): void;
  /**
   * Plays the person at the provider: from an authorization URL, signs in as `login` and consents
   * (the provider's own login and consent forms), and returns the redirect back to the client.
   */
  authorize(authorizationUrl: string, login: string): Promise<URL>;
  close(): Promise<void>;
}

/** Starts the provider (on `port`, default any free one); `redirectUris` are the client's registered callbacks. */
export async function startTestIdp(redirectUris: string[], port = 0): Promise<TestIdp> {
  const accounts = new Map<string, IdpAccount>();
  let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'pulse';
  const clientSecret = TEST_IDP_CLIENT_SECRET;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    cookies: { keys: ['test idp cookie key, not a secret'] },
    features: { devInteractions: { enabled: true } },
    findAccount: async (_ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          ...(account.email !== undefined && { email: account.email }),
          email_verified: account.emailVerified ?? false,
        }),
      };
    },
  });
  handler = provider.callback();

  async function authorize(authorizationUrl: string, login: string): Promise<URL> {
    const jar = new Map<string, string>();
    const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const remember = (res: Response) => {
      for (const line of res.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
        else jar.set(name, value);
      }
    };
    let url = new URL(authorizationUrl);
    let body: URLSearchParams | undefined;
    for (let step = 0; step < 20; step++) {
      const res = await fetch(url, {
        method: body ? 'POST' : 'GET',
        redirect: 'manual',
        headers: {
          cookie: cookieHeader(),
          ...(body && { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        ...(body && { body: body.toString() }),
        signal: AbortSignal.timeout(5_000),
      });
      remember(res);
      body = undefined;
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        const next = new URL(location, url);
        if (next.origin !== issuer) return next;
        url = next;
        continue;
      }
      const html = await res.text();
      if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 300)}`);
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!prompt || !action) throw new Error(`unexpected provider page: ${html.slice(0, 300)}`);
      url = new URL(action, url);
      body = new URLSearchParams(
        prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt },
      );
    }
    throw new Error('the provider did not redirect back');
  }

  return {
    issuer,
    clientId,
    clientSecret,
    account: (login, account) => accounts.set(login, account),
    authorize,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

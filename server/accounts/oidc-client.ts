import * as client from 'openid-client';

/** One configured OIDC provider (OIDC_PROVIDERS). */
export interface OidcProviderConfig {
  /** The URL name: /api/v1/auth/oidc/<id>/start. */
  id: string;
  /** The button's label: "Sign in with <name>". */
  name: string;
  issuer: string;
  clientId: string;
  /** Omitted: a public client (PKCE only, no client authentication). */
  clientSecret?: string | undefined;
  scopes: string;
}

/** What Pulse uses of the ID token. */
export interface OidcClaims {
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
}

/** How long one request to a provider may take (discovery, token exchange, JWKS). */
export const OIDC_TIMEOUT_SECONDS = 10;

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** The providers, with their discovered metadata cached (a failed discovery is retried next time). */
export class OidcProviders {
  private readonly byId: ReadonlyMap<string, OidcProviderConfig>;
  private readonly configs = new Map<string, Promise<client.Configuration>>();

  constructor(providers: readonly OidcProviderConfig[]) {
    this.byId = new Map(providers.map((p) => [p.id, p]));
  }

  list(): { id: string; name: string }[] {
    return [...this.byId.values()].map((p) => ({ id: p.id, name: p.name }));
  }

  get(id: string): OidcProviderConfig | undefined {
    return this.byId.get(id);
  }

  private configuration(provider: OidcProviderConfig): Promise<client.Configuration> {
    let pending = this.configs.get(provider.id);
    if (!pending) {
      const issuer = new URL(provider.issuer);
      pending = client.discovery(
        issuer,
        provider.clientId,
        provider.clientSecret,
        provider.clientSecret === undefined ? client.None() : undefined,
        {
          timeout: OIDC_TIMEOUT_SECONDS,
          // Plain HTTP only for a provider on this machine (development and tests); config refuses others.
          ...(issuer.protocol === 'http:' &&
            isLoopback(issuer) && { execute: [client.allowInsecureRequests] }),
        },
      );
      pending.catch(() => this.configs.delete(provider.id));
      this.configs.set(provider.id, pending);
    }
    return pending;
  }

  /** The provider's authorization URL for a code + PKCE request. */
  async authorizationUrl(
    provider: OidcProviderConfig,
    input: { redirectUri: string; state: string; nonce: string; codeVerifier: string },
  ): Promise<URL> {
    const config = await this.configuration(provider);
    return client.buildAuthorizationUrl(config, {
      redirect_uri: input.redirectUri,
      scope: provider.scopes,
      state: input.state,
      nonce: input.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(input.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /** Exchanges the code of the callback URL (state, nonce and PKCE checked) for the ID token's claims. */
  async exchange(
    provider: OidcProviderConfig,
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<OidcClaims> {
    const config = await this.configuration(provider);
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      pkceCodeVerifier: checks.codeVerifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('no ID token');
    let { email, email_verified: emailVerified } = claims;
    // Some providers keep the e-mail out of the ID token: ask the UserInfo endpoint (same subject).
    if (typeof email !== 'string' && config.serverMetadata().userinfo_endpoint) {
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      ({ email, email_verified: emailVerified } = info);
    }
    return {
      subject: claims.sub,
      email: typeof email === 'string' ? email : undefined,
      emailVerified: emailVerified === true,
    };
  }
}

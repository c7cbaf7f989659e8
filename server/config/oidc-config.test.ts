import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

describe('OIDC_PROVIDERS', () => {
  it('parses providers with the default scopes, and defaults to none', () => {
    expect(parseConfig({}).oidc).toEqual({ providers: [], linkVerifiedEmail: false });
    const config = parseConfig({
      OIDC_PROVIDERS: JSON.stringify([
        {
          id: 'google',
          name: 'Google',
          issuer: 'https://accounts.google.com',
          clientId: 'abc',
          clientSecret: 's',
        },
        { id: 'dev', name: 'Dev', issuer: 'http://127.0.0.1:9000', clientId: 'pulse' },
      ]),
      OIDC_LINK_VERIFIED_EMAIL: 'true',
    });
    expect(config.oidc.linkVerifiedEmail).toBe(true);
    expect(config.oidc.providers).toEqual([
      {
        id: 'google',
        name: 'Google',
        issuer: 'https://accounts.google.com',
        clientId: 'abc',
        clientSecret: 's',
        scopes: 'openid email profile',
      },
      {
        id: 'dev',
        name: 'Dev',
        issuer: 'http://127.0.0.1:9000',
        clientId: 'pulse',
        scopes: 'openid email profile',
      },
    ]);
  });

  it('refuses bad JSON, plain-http issuers off this machine, unknown fields and duplicate ids', () => {
    const bad = (value: unknown) => () =>
      parseConfig({ OIDC_PROVIDERS: typeof value === 'string' ? value : JSON.stringify(value) });
    const base = { id: 'x', name: 'X', issuer: 'https://id.example.com', clientId: 'c' };
    expect(bad('[{')).toThrow(ConfigError);
    expect(bad('[{')).toThrow(/OIDC_PROVIDERS/);
    expect(bad([{ ...base, issuer: 'http://id.example.com' }])).toThrow(/https/);
    expect(bad([{ ...base, secret: 'typo' }])).toThrow(ConfigError);
    expect(bad([{ ...base, id: 'Has Spaces' }])).toThrow(ConfigError);
    expect(bad([base, base])).toThrow(/unique/);
  });
});

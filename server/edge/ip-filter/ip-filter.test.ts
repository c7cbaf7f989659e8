import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  cidrMatcher,
  ipFilter,
  ipFilterPlugin,
  loadGeoLookup,
  parseAddress,
  trustProxyOption,
  validateCidrs,
} from './index.js';

describe('cidrMatcher', () => {
  it('matches IPv4 blocks and single addresses', () => {
    const match = cidrMatcher(['10.0.0.0/8', '192.168.1.7', '0.0.0.0/32']);
    expect(match('10.200.3.4')).toBe(true);
    expect(match('11.0.0.1')).toBe(false);
    expect(match('192.168.1.7')).toBe(true);
    expect(match('192.168.1.8')).toBe(false);
  });

  it('matches IPv6 blocks, compressed or not', () => {
    const match = cidrMatcher(['2001:db8::/32', '::1']);
    expect(match('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe(true);
    expect(match('2001:db8:ffff::1')).toBe(true);
    expect(match('2001:db9::1')).toBe(false);
    expect(match('::1')).toBe(true);
    expect(match('::2')).toBe(false);
  });

  it('treats IPv4-mapped IPv6 as the IPv4 address, on either side', () => {
    expect(cidrMatcher(['127.0.0.0/8'])('::ffff:127.0.0.1')).toBe(true);
    expect(cidrMatcher(['127.0.0.0/8'])('::ffff:7f00:1')).toBe(true);
    expect(cidrMatcher(['::ffff:10.0.0.0/104'])('10.9.9.9')).toBe(true);
    expect(cidrMatcher(['::ffff:10.0.0.0/104'])('11.9.9.9')).toBe(false);
    expect(parseAddress('::ffff:1.2.3.4')).toEqual({ family: 4, value: 0x01020304n });
  });

  it('never matches garbage, and /0 matches only its own family', () => {
    expect(cidrMatcher(['0.0.0.0/0'])('not-an-ip')).toBe(false);
    expect(cidrMatcher(['0.0.0.0/0'])('::1')).toBe(false);
    expect(cidrMatcher(['::/0'])('2001:db8::1')).toBe(true);
  });

  it('rejects malformed entries with a message', () => {
    expect(validateCidrs(['10.0.0.0/8', '::1/128'])).toBe(true);
    expect(validateCidrs(['10.0.0.0/33'])).toMatch(/prefix/);
    expect(validateCidrs(['10.0.0/8'])).toMatch(/not an IP/);
    expect(validateCidrs(['::ffff:10.0.0.0/8'])).toMatch(/at least 96/);
    expect(() => cidrMatcher(['nope'])).toThrow(/not an IP/);
  });
});

describe('ipFilter', () => {
  it('lets the deny list win over the allow list', () => {
    const filter = ipFilter({ allow: ['10.0.0.0/8'], deny: ['10.6.6.0/24'] });
    expect(filter.check('10.1.1.1')).toEqual({ allowed: true });
    expect(filter.check('10.6.6.6')).toEqual({ allowed: false, reason: 'denied' });
    expect(filter.check('8.8.8.8')).toEqual({ allowed: false, reason: 'not-allowed' });
  });

  it('refuses blocked countries with the offline geoip-lite database', async () => {
    const lookupCountry = await loadGeoLookup();
    const filter = ipFilter({ denyCountries: ['us'], lookupCountry });
    expect(filter.check('8.8.8.8')).toEqual({ allowed: false, reason: 'country', country: 'US' });
    // 193.0.6.139 is RIPE NCC in Amsterdam.
    expect(filter.check('193.0.6.139')).toEqual({ allowed: true, country: 'NL' });
    expect(filter.check('127.0.0.1')).toEqual({ allowed: true });
  });
});

describe('ipFilterPlugin behind a trusted proxy', () => {
  async function appWith() {
    const app = Fastify({ logger: false, trustProxy: trustProxyOption(['127.0.0.1/32', '::1']) });
    await app.register(ipFilterPlugin, {
      deny: ['203.0.113.0/24'],
      denyCountries: ['FR'],
      lookupCountry: (ip) => (ip === '198.51.100.9' ? 'FR' : undefined),
    });
    app.get('/api/v1/clock', async (request) => ({ ip: request.ip }));
    return app;
  }

  it('takes the client from X-Forwarded-For only when the peer is a trusted proxy', async () => {
    const app = await appWith();
    const viaProxy = await app.inject({
      url: '/api/v1/clock',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '203.0.113.5' },
    });
    expect(viaProxy.statusCode).toBe(403);
    expect(viaProxy.json()).toMatchObject({ code: 'EDGE_IP_FORBIDDEN' });
    // A client that is not a proxy cannot choose its address with the header.
    const spoofed = await app.inject({
      url: '/api/v1/clock',
      remoteAddress: '192.0.2.1',
      headers: { 'x-forwarded-for': '10.0.0.1' },
    });
    expect(spoofed.json()).toEqual({ ip: '192.0.2.1' });
    const denied = await app.inject({
      url: '/api/v1/clock',
      remoteAddress: '203.0.113.77',
      headers: { 'x-forwarded-for': '10.0.0.1' },
    });
    expect(denied.statusCode).toBe(403);
    const country = await app.inject({
      url: '/api/v1/clock',
      remoteAddress: '::ffff:127.0.0.1',
      headers: { 'x-forwarded-for': '198.51.100.9' },
    });
    expect(country.statusCode).toBe(403);
    expect(app.ipFilter.counters).toMatchObject({
      refused: 3,
      byReason: { denied: 2, country: 1 },
      byCountry: { FR: 1 },
    });
  });

  it('skips proxies of the chain that are trusted, and stops at the first untrusted hop', async () => {
    const app = await appWith();
    const res = await app.inject({
      url: '/api/v1/clock',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '203.0.113.5, 192.0.2.44, ::1' },
    });
    expect(res.json()).toEqual({ ip: '192.0.2.44' });
  });
});

describe('parseConfig for the IP settings', () => {
  it('reads the lists and names a malformed variable', async () => {
    const { parseConfig } = await import('../../config/config.js');
    const config = parseConfig({
      IP_ALLOW: '10.0.0.0/8, ::1',
      GEO_DENY: 'kp,ru',
      TRUSTED_PROXIES: '127.0.0.1/32',
    });
    expect(config.ipFilter).toEqual({ allow: ['10.0.0.0/8', '::1'], deny: [], denyCountries: ['KP', 'RU'] });
    expect(config.trustProxy).toEqual(['127.0.0.1/32']);
    expect(parseConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(() => parseConfig({ IP_DENY: '10.0.0.0/33' })).toThrow(/IP_DENY.*prefix/);
    expect(() => parseConfig({ GEO_DENY: 'Korea' })).toThrow(/GEO_DENY/);
    expect(() => parseConfig({ TLS_CERT: '/nonexistent.crt' })).toThrow(/TLS_(CERT|KEY)/);
  });
});

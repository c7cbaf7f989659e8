import { describe, expect, it } from 'vitest';
import { createFirewall } from './firewall.js';
import type { InspectedRequest } from './types.js';

// A small seeded PRNG so failures replay exactly.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SEEDS = [
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '; cat /etc/passwd',
  'http://169.254.169.254/latest',
  '{"$where":"sleep(1)"}',
  '__proto__[x]=1',
  'crossover(sma(close, 50), sma(close, 200)) and rsi(14) < 70',
  '%u0027%2527%C0%AE',
  '＜ｓｃｒｉｐｔ＞',
];
const ALPHABET = `'"<>()[]{}%$#;&|=-+*/\\\n\r\t ._:@!?,\u0000\u00e9\uff1c\ud83d\ude00abcSELECTunion0123456789`;

function mutate(random: () => number, base: string): string {
  let out = base;
  const edits = 1 + Math.floor(random() * 8);
  for (let i = 0; i < edits; i += 1) {
    const at = Math.floor(random() * (out.length + 1));
    const ch = ALPHABET[Math.floor(random() * ALPHABET.length)] ?? 'x';
    const op = random();
    if (op < 0.4) out = out.slice(0, at) + ch + out.slice(at);
    else if (op < 0.7) out = out.slice(0, at) + out.slice(at + 1);
    else out = out.slice(0, at) + ch.repeat(1 + Math.floor(random() * 40)) + out.slice(at);
  }
  return out;
}

/** encodeURIComponent throws on lone surrogates (which the fuzzer also feeds to inspect raw). */
function encode(value: string): string {
  return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd'));
}

function randomRequest(random: () => number): InspectedRequest {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const value =
    random() < 0.7
      ? mutate(random, pick(SEEDS))
      : Array.from({ length: Math.floor(random() * 200) }, () => pick([...ALPHABET])).join('');
  const where = Math.floor(random() * 6);
  const body =
    where === 3
      ? JSON.stringify({ note: value, nested: { [value.slice(0, 20)]: [value] } })
      : where === 4
        ? random() < 0.5
          ? `{"broken": ${value}`
          : `a=${encode(value)}&${value}`
        : undefined;
  return {
    method: pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'BREW', 'get']),
    path: where === 0 ? `/api/v1/${encode(value)}` : '/api/v1/orders',
    query: where === 1 ? `q=${value}` : where === 5 ? value : '',
    headers: {
      host: '127.0.0.1',
      'user-agent': where === 2 ? value : 'Mozilla/5.0',
      ...(where === 2 && { referer: value, cookie: `pulse_session=${value}` }),
      ...(body !== undefined && {
        'content-type': where === 3 ? 'application/json' : 'application/x-www-form-urlencoded',
      }),
    },
    ...(body !== undefined && {
      body,
      contentType: where === 3 ? 'application/json' : 'application/x-www-form-urlencoded',
    }),
  };
}

describe('createFirewall robustness', () => {
  it('never throws and always answers block or allow on 3,000 random and mutated requests', () => {
    const random = rng(20261126);
    for (const paranoia of [1, 4] as const) {
      const firewall = createFirewall({ paranoia });
      for (let i = 0; i < 1_500; i += 1) {
        const request = randomRequest(random);
        let verdict;
        try {
          verdict = firewall.inspect(request);
        } catch (error) {
          throw new Error(`inspect threw on ${JSON.stringify(request).slice(0, 300)}: ${String(error)}`);
        }
        expect(['block', 'allow']).toContain(verdict.action);
        expect(Number.isFinite(verdict.score)).toBe(true);
      }
    }
  });

  it('refuses what it cannot parse instead of passing it', () => {
    const firewall = createFirewall();
    const verdict = firewall.inspect({
      method: 'POST',
      path: '/api/v1/orders',
      query: 'a=%zz',
      headers: { host: 'x', 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0' },
      body: '{"symbol": "AAPL", "qty": ',
      contentType: 'application/json',
    });
    expect(verdict.action).toBe('block');
  });

  // Every rule sees these through every kind of field: a pattern with catastrophic backtracking
  // would take seconds on one of them; the whole engine must stay within a small time bound.
  const pathological = [
    'a'.repeat(30_000),
    `${'a'.repeat(30_000)}!`,
    ' '.repeat(30_000),
    `${'<a '.repeat(8_000)}`,
    `${"'".repeat(20_000)}`,
    `${'('.repeat(10_000)}${')'.repeat(10_000)}`,
    `${'%25'.repeat(9_000)}`,
    `${'${'.repeat(10_000)}`,
    `${'/.'.repeat(12_000)}`,
    `${'--'.repeat(12_000)}`,
    `${'select '.repeat(4_000)}`,
    `${'=a'.repeat(12_000)}`,
    `${'\\u00'.repeat(6_000)}`,
    `${'&#x3c'.repeat(6_000)}`,
    `${'ab'.repeat(15_000)}c`,
    `${'x@'.repeat(12_000)}`,
  ];

  it.each(pathological.map((p) => [p.slice(0, 12), p]))(
    'inspects %j… in every field within a time bound',
    (_label, value) => {
      const firewall = createFirewall({ paranoia: 4 });
      const requests: InspectedRequest[] = [
        {
          method: 'GET',
          path: '/api/v1/assets',
          query: `search=${value}`,
          headers: { host: 'x', 'user-agent': 'Mozilla/5.0' },
        },
        {
          method: 'GET',
          path: `/api/v1/${value.slice(0, 4_000)}`,
          query: '',
          headers: { host: 'x', 'user-agent': 'Mozilla/5.0' },
        },
        {
          method: 'GET',
          path: '/',
          query: '',
          headers: { host: 'x', 'user-agent': value.slice(0, 8_000), referer: value.slice(0, 8_000) },
        },
        {
          method: 'POST',
          path: '/api/v1/orders',
          query: '',
          headers: { host: 'x', 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0' },
          body: JSON.stringify({ note: value, symbol: 'AAPL' }),
          contentType: 'application/json',
        },
      ];
      const started = performance.now();
      for (const request of requests) firewall.inspect(request);
      // Catastrophic backtracking takes seconds to hours on these; linear work takes milliseconds to a few
      // hundred (measured: ≤ 300 ms for the slowest, '<a ' and '${' at paranoia 4, on a loaded machine).
      expect(performance.now() - started).toBeLessThan(5_000);
    },
  );
});

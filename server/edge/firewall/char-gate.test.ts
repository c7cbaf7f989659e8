import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { charGate, charMask, passes, type CharMask } from './char-gate.js';
import { createFirewall } from './firewall.js';
import { PULSE_EXCLUSIONS } from './pulse-exclusions.js';
import { fromRawRequest, type RawRequest } from './raw-request.js';
import { FIELD_RULES } from './rules/index.js';
import { makeTarget } from './target.js';
import type { InspectedRequest } from './types.js';

const chars = (gate: CharMask | undefined): string => {
  if (gate === undefined) return '(none)';
  let out = '';
  for (let code = 0; code < 128; code++)
    if (((gate[code >> 5] ?? 0) >>> (code & 31)) & 1) out += String.fromCharCode(code);
  return gate[4] ? `${out}+non-ascii` : out;
};

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

const ATTACKS = [
  "' OR 1=1 --",
  '1 union select password from users',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '../../etc/passwd',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '; cat /etc/passwd',
  '`id`',
  'http://169.254.169.254/latest/meta-data',
  '{"$where":"sleep(1)"}',
  '__proto__[x]=1',
  '<?php system($_GET[c]); ?>',
  'O:8:"stdClass":0:{}',
  'java.lang.Runtime.getRuntime().exec("id")',
  '%u0027%2527%C0%AE',
  '＜ｓｃｒｉｐｔ＞',
  'a\r\nSet-Cookie: x=1',
];
const ALPHABET = `'"<>()[]{}%$#;&|=-+*/\\\n\r\t ._:@!?,\`~^\u0000\u00e9\u017f\u212a\uff1c\ud83d\ude00abcSELECTunionjndiK0123456789`;

/** Random strings and mutated attacks: punctuation-heavy, so gates are exercised both ways. */
function values(count: number, seed: number): string[] {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  return Array.from({ length: count }, () => {
    if (random() < 0.4)
      return Array.from({ length: Math.floor(random() * 60) }, () => pick([...ALPHABET])).join('');
    let out = pick(ATTACKS);
    for (let edit = 0; edit < 1 + Math.floor(random() * 6); edit++) {
      const at = Math.floor(random() * (out.length + 1));
      out =
        random() < 0.5
          ? out.slice(0, at) + pick([...ALPHABET]) + out.slice(at)
          : out.slice(0, at) + out.slice(at + 1);
    }
    return out;
  });
}

const legit = readFileSync(
  path.join(import.meta.dirname, '../../../bench/firewall/legit-corpus.jsonl'),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => fromRawRequest(JSON.parse(line) as RawRequest));

describe('charGate', () => {
  it('requires a character every match must contain', () => {
    expect(chars(charGate(/<\s*script/))).toBe('<');
    expect(chars(charGate(/(?:x|y)?z+/))).toBe('z');
    expect(chars(charGate(/a;|b\|/))).toBe(';|');
    expect(chars(charGate(/[$`]\(/))).toBe('(');
    expect(chars(charGate(/\d{2,}/))).toBe('0123456789');
  });

  it('gives no gate to patterns that can match without a known character', () => {
    expect(charGate(/a*/)).toBeUndefined();
    expect(charGate(/[^a]/)).toBeUndefined();
    expect(charGate(/x|./)).toBeUndefined();
    expect(charGate(/(?=<)/)).toBeUndefined();
    expect(charGate(/(a)\1/)).not.toBeUndefined();
  });

  it('keeps both cases, and non-ASCII letters that fold to ASCII, under the i flag', () => {
    expect(chars(charGate(/k/i))).toBe('Kk+non-ascii');
    // U+212A KELVIN SIGN matches /k/i with the u flag; the gate lets it through.
    expect(passes(charMask('\u212a'), charGate(/k/i) as CharMask)).toBe(true);
  });
});

describe('the pattern rules’ gates', () => {
  const samples = [
    ...values(4_000, 7),
    ...legit.flatMap((r) => [r.path, r.query, ...Object.values(r.headers).flat(), String(r.body ?? '')]),
  ].filter((v): v is string => typeof v === 'string');

  it('never skip a rule that would have matched', () => {
    const gated = FIELD_RULES.filter((rule) => rule.gate !== undefined);
    expect(gated.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const value of samples) {
      for (const isKey of [false, true]) {
        const target = makeTarget('query', 'query.q', value, isKey, 8_192);
        for (const rule of gated) {
          if (passes(target.mask(rule.gateOn ?? 'value'), rule.gate as CharMask)) continue;
          const matched = rule.match(target);
          if (matched !== undefined) wrong.push(`${rule.id} skipped ${JSON.stringify(value)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('createFirewall prefilter', () => {
  it('gives the same verdicts with and without the prefilter', () => {
    const random = rng(11);
    const generated: InspectedRequest[] = values(1_500, 13).map((value, i) => {
      const where = i % 5;
      const body = where === 3 ? JSON.stringify({ note: value, [value.slice(0, 12)]: [value] }) : undefined;
      return {
        method: random() < 0.8 ? 'POST' : 'GET',
        path:
          where === 0
            ? `/api/v1/${encodeURIComponent(value.replace(/[\ud800-\udfff]/g, ''))}`
            : '/api/v1/orders',
        query: where === 1 ? `q=${value}` : where === 4 ? value : '',
        headers: {
          host: 'pulse.test',
          'user-agent': where === 2 ? value : 'Mozilla/5.0',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body, contentType: 'application/json' }),
      };
    });
    for (const paranoia of [1, 4] as const) {
      const gated = createFirewall({ paranoia, exclusions: PULSE_EXCLUSIONS });
      const plain = createFirewall({
        paranoia,
        exclusions: PULSE_EXCLUSIONS,
        prefilter: false,
        verdictCacheSize: 0,
        headerCacheSize: 0,
      });
      for (const request of [...legit, ...generated])
        expect(gated.inspect(request)).toEqual(plain.inspect(request));
    }
  });
});

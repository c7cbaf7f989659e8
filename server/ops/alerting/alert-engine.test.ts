import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { SqlAlertStore } from '../../adapters/db/sql-ops-stores.js';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { collectingSink } from '../testing/ops-fixtures.js';
import { AlertEngine } from './alert-engine.js';
import { DEFAULT_ALERT_POLICY } from './alert-policy.js';
import { p99FromBuckets } from './alert-rules.js';

const MIN = 60_000;

describe('AlertEngine', () => {
  let database: TestDatabase;
  let now: number;
  let sink: ReturnType<typeof collectingSink>;
  const engine = (policy = DEFAULT_ALERT_POLICY) =>
    new AlertEngine({ store: new SqlAlertStore(database.handle.db), sink, policy, now: () => now });
  const feedDown = {
    ruleId: 'monitor-down',
    key: 'monitor:feed',
    severity: 'critical' as const,
    summary: 'Feed is down',
  };

  beforeAll(async () => {
    database = await freshPglite();
  });
  beforeEach(async () => {
    await sql`truncate ops_alerts`.execute(database.handle.db);
    now = Date.parse('2024-03-12T14:00:00Z');
    sink = collectingSink();
  });
  afterAll(async () => database.dispose());

  it('escalates an unacknowledged alert from Slack to e-mail to SMS, and tells every channel when it resolves', async () => {
    const alerts = engine();
    await alerts.fire(feedDown);
    await alerts.fire(feedDown);
    now += 14 * MIN;
    await alerts.tick();
    now += 2 * MIN;
    await alerts.tick();
    await alerts.tick();
    now += 30 * MIN;
    await alerts.tick();
    await alerts.resolve('monitor:feed');
    expect(sink.notices.map((n) => `${n.kind}:${n.channel}`)).toEqual([
      'firing:slack',
      'escalated:email',
      'escalated:sms',
      'resolved:slack',
      'resolved:email',
      'resolved:sms',
    ]);
  });

  it('stops escalating once acknowledged', async () => {
    const alerts = engine();
    const alert = await alerts.fire(feedDown);
    await alerts.acknowledge(alert.id, 'user-1');
    now += 60 * MIN;
    await alerts.tick();
    expect(sink.notices.map((n) => n.kind)).toEqual(['firing']);
  });

  it('keeps a flapping key in-app only after three opens within the hour', async () => {
    const alerts = engine();
    for (let i = 0; i < 5; i += 1) {
      await alerts.fire(feedDown);
      now += MIN;
      await alerts.resolve('monitor:feed');
      now += MIN;
    }
    expect(sink.notices.filter((n) => n.kind === 'firing')).toHaveLength(3);
    expect(sink.notices.filter((n) => n.kind === 'resolved')).toHaveLength(3);
  });

  it('holds warnings during quiet hours and sends them when the hours end; critical ones go at once', async () => {
    const alerts = engine({
      ...DEFAULT_ALERT_POLICY,
      quietHours: { start: '22:00', end: '07:00', timeZone: 'America/New_York', minSeverity: 'critical' },
    });
    now = Date.parse('2024-03-13T04:00:00Z'); // 00:00 in New York
    await alerts.fire({
      ruleId: 'orders-p99',
      key: 'rule:orders-p99',
      severity: 'warning',
      summary: 'Slow orders',
    });
    await alerts.fire(feedDown);
    expect(sink.notices.map((n) => n.alert.key)).toEqual(['monitor:feed']);
    now = Date.parse('2024-03-13T11:05:00Z'); // 07:05 in New York
    await alerts.tick();
    expect(sink.notices.map((n) => `${n.kind}:${n.alert.key}`)).toContain('firing:rule:orders-p99');
  });
});

describe('p99FromBuckets', () => {
  it('answers the upper bound of the bucket holding the 99th percentile', () => {
    const buckets = [
      { le: 0.1, count: 90 },
      { le: 0.5, count: 98 },
      { le: 1, count: 99 },
      { le: 2.5, count: 100 },
      { le: Number.POSITIVE_INFINITY, count: 100 },
    ];
    expect(p99FromBuckets(buckets)).toBe(1);
    expect(p99FromBuckets([{ le: Number.POSITIVE_INFINITY, count: 0 }])).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../contracts/ops.js';
import type { NotificationRequest } from '../../notify/notification-sink.js';
import type { AlertNotice } from './alert-sink.js';
import { notifyAlertSink } from './notify-alert-sink.js';

const alert: Alert = {
  id: '00000000-0000-4000-8000-000000000001',
  ruleId: 'monitor-down',
  key: 'monitor:api',
  severity: 'critical',
  status: 'firing',
  summary: 'API monitor is down',
  startedAt: '2026-11-26T15:00:00.000Z',
  resolvedAt: null,
  ackedAt: null,
  ackedBy: null,
  escalationLevel: 0,
  notifications: 0,
  suppressed: false,
};

function harness(channels: Record<string, Partial<Record<string, string[]>>>) {
  const delivered: NotificationRequest[] = [];
  const logged: AlertNotice[] = [];
  const sink = notifyAlertSink(
    { deliver: async (r) => (delivered.push(r), { deliveries: [] } as never) },
    {
      userIds: async () => Object.keys(channels),
      channelIds: async (userId, type) => channels[userId]?.[type] ?? [],
    },
    { send: async (n) => void logged.push(n) },
  );
  return { sink, delivered, logged };
}

describe('notifyAlertSink', () => {
  it('sends each escalation step to every owner’s and admin’s channels of that type, urgent when critical', async () => {
    const { sink, delivered, logged } = harness({
      owner: { slack: ['s1'], email: ['e1'] },
      admin: { slack: ['s2'] },
    });
    await sink.send({ kind: 'firing', channel: 'slack', alert });
    expect(delivered.map((d) => [d.userId, d.channelIds])).toEqual([
      ['owner', ['s1']],
      ['admin', ['s2']],
    ]);
    expect(delivered[0]).toMatchObject({
      title: 'Critical: API monitor is down',
      urgency: 'urgent',
      url: '/admin',
      dedupeKey: `ops:${alert.id}:firing:slack`,
    });
    expect(logged).toEqual([]);
  });

  it('falls back to the log when nobody has a channel of that type, or the channel is the log', async () => {
    const { sink, delivered, logged } = harness({ owner: { slack: ['s1'] } });
    await sink.send({ kind: 'escalated', channel: 'sms', alert });
    await sink.send({ kind: 'resolved', channel: 'log', alert: { ...alert, status: 'resolved' } });
    expect(delivered).toEqual([]);
    expect(logged.map((n) => n.channel)).toEqual(['sms', 'log']);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config/config.js';
import { DEFAULT_RETENTION, retentionCutoffs } from './retention.js';

describe('retentionCutoffs', () => {
  it('puts each cut-off its number of days before now', () => {
    const now = new Date('2026-03-02T12:00:00Z');
    expect(retentionCutoffs({ ...DEFAULT_RETENTION, sessionsDays: 1 }, now)).toEqual({
      sessionsExpiredBefore: new Date('2026-03-01T12:00:00Z'),
      deliveriesBefore: new Date('2025-12-02T12:00:00Z'),
      vitalsBefore: new Date('2026-01-31T12:00:00Z'),
      errorsBefore: new Date('2025-12-02T12:00:00Z'),
      monitorResultsBefore: new Date('2026-01-31T12:00:00Z'),
    });
  });
});

describe('parseConfig privacy', () => {
  it('defaults to a 30-day grace period and the documented retention, hourly', () => {
    expect(parseConfig({}).privacy).toEqual({
      graceDays: 30,
      retention: DEFAULT_RETENTION,
      everyMs: 3_600_000,
    });
  });

  it('reads the RETENTION_* and ERASURE_GRACE_DAYS variables', () => {
    const config = parseConfig({
      ERASURE_GRACE_DAYS: '7',
      RETENTION_VITALS_DAYS: '3',
      RETENTION_INTERVAL_MINUTES: '5',
    });
    expect(config.privacy).toMatchObject({ graceDays: 7, everyMs: 300_000, retention: { vitalsDays: 3 } });
  });

  it('names the variable when a value is out of range', () => {
    expect(() => parseConfig({ RETENTION_VITALS_DAYS: '0' })).toThrow(ConfigError);
    expect(() => parseConfig({ ERASURE_GRACE_DAYS: '400' })).toThrow(/ERASURE_GRACE_DAYS/);
  });
});

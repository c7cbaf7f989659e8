import { describe, expect, it } from 'vitest';
import {
  routeOf,
  sendReport,
  setTelemetryConsent,
  telemetryConsent,
  TELEMETRY_CONSENT_KEY,
} from './vitals.js';

const memory = () => {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
  };
};

describe('telemetryConsent', () => {
  it('is on by default, off under Do Not Track or GPC, and an explicit answer wins', () => {
    const storage = memory();
    expect(telemetryConsent(storage, {})).toBe(true);
    expect(telemetryConsent(storage, { doNotTrack: '1' })).toBe(false);
    expect(telemetryConsent(storage, { globalPrivacyControl: true })).toBe(false);
    setTelemetryConsent(storage, true);
    expect(storage.getItem(TELEMETRY_CONSENT_KEY)).toBe('on');
    expect(telemetryConsent(storage, { doNotTrack: '1' })).toBe(true);
    setTelemetryConsent(storage, false);
    expect(telemetryConsent(storage, {})).toBe(false);
  });
});

describe('routeOf', () => {
  it('replaces ids so pages group', () => {
    expect(routeOf('/orders/123')).toBe('/orders/:id');
    expect(routeOf('/orders/0b5e6f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b/fills')).toBe('/orders/:id/fills');
    expect(routeOf('/markets')).toBe('/markets');
  });
});

describe('sendReport', () => {
  it('posts without cookies and with keepalive, and refuses reports over 16 KiB', () => {
    const calls: Array<[string, RequestInit]> = [];
    const fake = (async (url: string, init: RequestInit) => {
      calls.push([url, init]);
      return new Response(null, { status: 202 });
    }) as unknown as typeof fetch;
    expect(
      sendReport(
        '/api/v1/intake/vitals',
        { release: 'index-abc', samples: [{ name: 'LCP', value: 1200, route: '/' }] },
        fake,
      ),
    ).toBe(true);
    expect(calls[0]?.[1]).toMatchObject({ method: 'POST', keepalive: true, credentials: 'omit' });
    const big = {
      release: 'x',
      route: '/',
      errors: [{ kind: 'error' as const, type: 'Error', message: 'm', stack: 's'.repeat(17_000) }],
    };
    expect(sendReport('/api/v1/intake/errors', big, fake)).toBe(false);
    expect(calls).toHaveLength(1);
  });
});

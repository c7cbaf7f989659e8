import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

describe('parseConfig (notifications)', () => {
  it('defaults to strict channel URLs, generated VAPID keys and no public URL', () => {
    const config = parseConfig({});
    expect(config.notify).toEqual({
      vapid: undefined,
      vapidSubject: 'mailto:pulse@localhost',
      urlPolicy: { allowHttp: false, slackAnyUrl: false },
    });
    expect(config.publicUrl).toBeUndefined();
  });

  it('takes PUBLIC_URL as the VAPID subject when it is https, and the URL switches', () => {
    const config = parseConfig({
      PUBLIC_URL: 'https://pulse.example.com',
      NOTIFY_ALLOW_HTTP: 'true',
      NOTIFY_SLACK_ANY_URL: '1',
    });
    expect(config.notify.vapidSubject).toBe('https://pulse.example.com');
    expect(config.notify.urlPolicy).toEqual({ allowHttp: true, slackAnyUrl: true });
  });

  it('needs both VAPID keys or neither', () => {
    expect(() => parseConfig({ VAPID_PUBLIC_KEY: 'B'.repeat(87) })).toThrow(/^Missing VAPID_PRIVATE_KEY/);
    const config = parseConfig({ VAPID_PUBLIC_KEY: 'B'.repeat(87), VAPID_PRIVATE_KEY: 'k'.repeat(43) });
    expect(config.notify.vapid).toEqual({ publicKey: 'B'.repeat(87), privateKey: 'k'.repeat(43) });
  });
});

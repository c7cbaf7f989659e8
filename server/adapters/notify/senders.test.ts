import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../notify/delivery-error.js';
import { type HttpReceiver, startHttpReceiver } from '../../testing/notify-receivers.js';
import { postForDelivery } from './http-post.js';
import { SmtpEmailSender } from './email-sender.js';
import { loadOrCreateVapidKeys } from './vapid-store.js';

describe('postForDelivery', () => {
  let receiver: HttpReceiver;
  beforeAll(async () => {
    receiver = await startHttpReceiver();
  });
  afterAll(() => receiver.close());

  const post = (p: string) =>
    postForDelivery(`${receiver.url}${p}`, { headers: {}, body: '{}' }, AbortSignal.timeout(2_000)).then(
      () => undefined,
      (error: unknown) => error as DeliveryError,
    );

  it('classifies 2xx as sent, 429 and 5xx as transient, other 4xx and redirects as permanent', async () => {
    receiver.behave('/ok', 204);
    receiver.behave('/busy', 429);
    receiver.behave('/down', 502);
    receiver.behave('/gone', 410);
    receiver.behave('/moved', 301);
    expect(await post('/ok')).toBeUndefined();
    expect(await post('/busy')).toMatchObject({ kind: 'transient', message: 'HTTP 429: status 429' });
    expect(await post('/down')).toMatchObject({ kind: 'transient' });
    expect(await post('/gone')).toMatchObject({ kind: 'permanent', message: 'HTTP 410: status 410' });
    expect(await post('/moved')).toMatchObject({ kind: 'permanent' });
  });

  it('treats a refused connection as transient', async () => {
    const closed = await startHttpReceiver();
    await closed.close();
    const error = await postForDelivery(
      `${closed.url}/x`,
      { headers: {}, body: '' },
      AbortSignal.timeout(2_000),
    ).catch((e: unknown) => e as DeliveryError);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ kind: 'transient', message: 'ECONNREFUSED' });
  });
});

describe('SmtpEmailSender', () => {
  it('fails transiently when no SMTP server answers', async () => {
    const sender = new SmtpEmailSender({
      url: 'smtp://127.0.0.1:1',
      from: 'a@example.com',
      timeoutMs: 1_000,
    });
    const note = {
      deliveryId: 'd',
      title: 't',
      body: 'b',
      urgency: 'normal' as const,
      createdAt: new Date(),
    };
    await expect(
      sender.send({ to: 'x@example.com' }, note, AbortSignal.timeout(2_000)),
    ).rejects.toMatchObject({
      kind: 'transient',
    });
  });
});

describe('loadOrCreateVapidKeys', () => {
  it('makes a key pair once, private to the owner, and returns the same pair after', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-vapid-'));
    try {
      const first = loadOrCreateVapidKeys(dir);
      expect(first.publicKey).toMatch(/^[\w-]{87}$/);
      expect(fs.statSync(path.join(dir, 'vapid-keys.json')).mode & 0o777).toBe(0o600);
      expect(loadOrCreateVapidKeys(dir)).toEqual(first);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

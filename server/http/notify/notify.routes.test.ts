import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlNotifyStore } from '../../adapters/db/sql-notify-store.js';
import { SqlSessionStore, SqlUserStore } from '../../adapters/db/sql-stores.js';
import { SlackSender, WebhookSender, webhookSignature } from '../../adapters/notify/index.js';
import { startSession } from '../../accounts/sessions.js';
import { Notifier } from '../../notify/notifier.js';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { type HttpReceiver, startHttpReceiver } from '../../testing/notify-receivers.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

interface Session {
  id: string;
  cookie: string;
  csrf: string;
}

describe('notifyRoutes', () => {
  let t: TestApp;
  let database: TestDatabase;
  let notifier: Notifier;
  let receiver: HttpReceiver;
  let alice: Session;
  let bob: Session;

  async function userSession(email: string): Promise<Session> {
    const db = database.handle.db;
    const id = crypto.randomUUID();
    await new SqlUserStore(db).insert({ id, email, passwordHash: 'x', role: 'trader' });
    const { token, session } = await startSession(
      { userId: id, userAgent: null, ip: null, now: new Date() },
      { sessions: new SqlSessionStore(db) },
    );
    return { id, cookie: `pulse_session=${token}`, csrf: session.csrfToken };
  }

  const call = (
    who: Session,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
  ) =>
    t.app.http.inject({
      method,
      url,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
      ...(payload !== undefined && { payload: payload as object }),
    });

  beforeAll(async () => {
    database = await freshPglite();
    receiver = await startHttpReceiver();
    const store = new SqlNotifyStore(database.handle.db);
    notifier = new Notifier({
      store,
      senders: { slack: new SlackSender(), webhook: new WebhookSender() },
      timeoutMs: 1_000,
      backoff: { baseMs: 10, maxMs: 20 },
      maxAttempts: 2,
    });
    t = await createTestApp(
      {
        // The firewall's SSRF and RFI rules refuse loopback and bare-IP URLs; the receiver is on 127.0.0.1.
        firewall: { mode: 'off', paranoia: 1 },
        notify: {
          store,
          notifier,
          urlPolicy: { allowHttp: true, slackAnyUrl: false },
          now: () => new Date(),
          vapidPublicKey: 'BPublicKey',
        },
      },
      { database },
    );
    alice = await userSession('alice@example.com');
    bob = await userSession('bob@example.com');
  });
  afterAll(async () => {
    await notifier.stop();
    await t.close();
    await receiver.close();
    await database.dispose();
  });

  it('lists an in-app channel from the start, and adds a webhook whose secret is shown once and signs', async () => {
    const initial = (await call(alice, 'GET', '/api/v1/notify/channels')).json();
    expect(initial).toMatchObject([{ type: 'in_app', name: 'In-app', enabled: true, target: 'Pulse inbox' }]);

    const created = await call(alice, 'POST', '/api/v1/notify/channels', {
      type: 'webhook',
      name: 'My bot',
      url: `${receiver.url}/alice/hook`,
    });
    expect(created.statusCode).toBe(201);
    const hook = created.json();
    expect(hook.secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(hook.target).toBe(`${new URL(receiver.url).host}/…hook`);
    const listed = (await call(alice, 'GET', '/api/v1/notify/channels')).json();
    expect(listed).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain(hook.secret);

    const tested = await call(alice, 'POST', `/api/v1/notify/channels/${hook.id}/test`);
    expect(tested.json()).toMatchObject({
      status: 'delivered',
      attempts: 1,
      channelId: hook.id,
      urgency: 'urgent',
    });
    const [request] = receiver.at('/alice/hook');
    const timestamp = String(request?.headers['x-pulse-timestamp']);
    expect(request?.headers['x-pulse-signature']).toBe(
      webhookSignature(hook.secret, timestamp, request?.body.toString() ?? ''),
    );
    const log = (await call(alice, 'GET', `/api/v1/notify/deliveries?channelId=${hook.id}`)).json();
    expect(log).toMatchObject([{ id: tested.json().id, status: 'delivered' }]);
  });

  it('refuses Slack URLs off hooks.slack.com, credentials in URLs, and unconfigured channel types', async () => {
    const slack = await call(alice, 'POST', '/api/v1/notify/channels', {
      type: 'slack',
      url: 'https://evil.example/x',
    });
    expect(slack.statusCode).toBe(400);
    expect(slack.json().code).toBe('NOTIFY_URL_NOT_ALLOWED');
    const creds = await call(alice, 'POST', '/api/v1/notify/channels', {
      type: 'webhook',
      url: 'https://user:pw@example.com/hook',
    });
    expect(creds.json().code).toBe('NOTIFY_URL_NOT_ALLOWED');
    const ok = await call(alice, 'POST', '/api/v1/notify/channels', {
      type: 'slack',
      url: 'https://hooks.slack.com/services/T000/B000/XXXX',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ target: 'hooks.slack.com/…XXXX' });
    expect(ok.json().secret).toBeUndefined();
    const email = await call(alice, 'POST', '/api/v1/notify/channels', { type: 'email' });
    expect(email.statusCode).toBe(503);
    expect(email.json().code).toBe('NOTIFY_CHANNEL_UNAVAILABLE');
    const bad = await call(alice, 'POST', '/api/v1/notify/channels', {
      type: 'sms',
      url: 'https://x.example',
    });
    expect(bad.json().code).toBe('REQUEST_VALIDATION_FAILED');
  });

  it('keeps channels, deliveries and the inbox private: another user’s ids are not found', async () => {
    const [aliceHook] = (
      (await call(alice, 'GET', '/api/v1/notify/channels')).json() as { id: string; type: string }[]
    ).filter((c) => c.type === 'webhook');
    for (const [method, url, payload] of [
      ['PATCH', `/api/v1/notify/channels/${aliceHook!.id}`, { enabled: false }],
      ['POST', `/api/v1/notify/channels/${aliceHook!.id}/test`, undefined],
      ['DELETE', `/api/v1/notify/channels/${aliceHook!.id}`, undefined],
    ] as const) {
      const res = await call(bob, method, url, payload);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('NOTIFY_CHANNEL_NOT_FOUND');
    }
    expect((await call(bob, 'GET', '/api/v1/notify/deliveries')).json()).toEqual([]);
    expect((await call(alice, 'GET', '/api/v1/notify/channels')).json()).toContainEqual(
      expect.objectContaining({ id: aliceHook!.id, enabled: true }),
    );
  });

  it('fills the inbox, counts unread and marks items read', async () => {
    await notifier.notify(alice.id, { title: 'one', body: 'b', urgency: 'normal' });
    await notifier.notify(alice.id, { title: 'two', body: 'b', urgency: 'normal' });
    await notifier.idle();
    const inbox = (await call(alice, 'GET', '/api/v1/notify/inbox')).json();
    expect(inbox.unread).toBe(2);
    expect(inbox.items.map((i: { title: string }) => i.title)).toEqual(['two', 'one']);
    expect((await call(bob, 'GET', '/api/v1/notify/inbox')).json()).toEqual({ items: [], unread: 0 });
    const one = await call(alice, 'POST', '/api/v1/notify/inbox/read', { ids: [inbox.items[1].id] });
    expect(one.json()).toEqual({ unread: 1 });
    // Bob cannot mark Alice's items read.
    await call(bob, 'POST', '/api/v1/notify/inbox/read', { all: true });
    expect((await call(alice, 'GET', '/api/v1/notify/inbox?unread=true')).json().items).toHaveLength(1);
    expect((await call(alice, 'POST', '/api/v1/notify/inbox/read', { all: true })).json()).toEqual({
      unread: 0,
    });
  });

  it('renames and disables a channel, then deletes it', async () => {
    const [hook] = (
      (await call(alice, 'GET', '/api/v1/notify/channels')).json() as { id: string; type: string }[]
    ).filter((c) => c.type === 'webhook');
    const patched = await call(alice, 'PATCH', `/api/v1/notify/channels/${hook!.id}`, {
      name: 'Bot',
      enabled: false,
    });
    expect(patched.json()).toMatchObject({ name: 'Bot', enabled: false });
    const result = await notifier.notify(alice.id, { title: 'x', body: 'y', urgency: 'normal' });
    expect(result.deliveries.map((d) => d.channelId)).not.toContain(hook!.id);
    expect((await call(alice, 'DELETE', `/api/v1/notify/channels/${hook!.id}`)).statusCode).toBe(204);
    expect((await call(alice, 'DELETE', `/api/v1/notify/channels/${hook!.id}`)).statusCode).toBe(404);
  });

  it('stores quiet hours with a valid time zone, and serves the VAPID public key', async () => {
    expect((await call(alice, 'GET', '/api/v1/notify/quiet-hours')).json()).toMatchObject({ enabled: false });
    const quiet = { enabled: true, timeZone: 'Europe/Berlin', start: '22:00', end: '07:00' };
    expect((await call(alice, 'PUT', '/api/v1/notify/quiet-hours', quiet)).json()).toEqual(quiet);
    expect((await call(alice, 'GET', '/api/v1/notify/quiet-hours')).json()).toEqual(quiet);
    const bad = await call(alice, 'PUT', '/api/v1/notify/quiet-hours', { ...quiet, timeZone: 'Mars/Base' });
    expect(bad.json().code).toBe('NOTIFY_INVALID_TIME_ZONE');
    expect((await call(alice, 'GET', '/api/v1/notify/vapid-public-key')).json()).toEqual({
      publicKey: 'BPublicKey',
    });
  });

  it('needs a session', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/api/v1/notify/channels' });
    expect(res.statusCode).toBe(401);
  });
});

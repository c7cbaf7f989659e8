import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SqlNotifyStore } from '../adapters/db/sql-notify-store.js';
import {
  SlackSender,
  SmsWebhookSender,
  SmtpEmailSender,
  WebhookSender,
  webhookSignature,
  WebPushSender,
} from '../adapters/notify/index.js';
import { generateVapidKeys } from '../adapters/notify/web-push-sender.js';
import { freshPglite, type TestDatabase } from '../testing/databases.js';
import {
  type HttpReceiver,
  type SmtpReceiver,
  startHttpReceiver,
  startSmtpReceiver,
} from '../testing/notify-receivers.js';
import type { ChannelSenders } from './channel-sender.js';
import { Notifier, type NotifierOptions } from './notifier.js';
import type { ChannelConfig, ChannelRecord, DeliveryRecord } from './notify-store.js';

/** A browser-side P-256 key pair and auth secret, as PushManager.subscribe would make. */
function browserSubscription(endpoint: string) {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint,
    keys: {
      p256dh: ecdh.getPublicKey().toString('base64url'),
      auth: crypto.randomBytes(16).toString('base64url'),
    },
  };
}

describe('Notifier', () => {
  let database: TestDatabase;
  let store: SqlNotifyStore;
  let http: HttpReceiver;
  let smtp: SmtpReceiver;
  let senders: ChannelSenders;
  const vapid = { ...generateVapidKeys(), subject: 'mailto:ops@example.com' };
  const running: Notifier[] = [];
  let clock = Date.parse('2024-03-12T14:30:00Z');

  beforeAll(async () => {
    database = await freshPglite();
    store = new SqlNotifyStore(database.handle.db);
    [http, smtp] = await Promise.all([startHttpReceiver(), startSmtpReceiver()]);
    senders = {
      email: new SmtpEmailSender({ url: smtp.url, from: 'Pulse <pulse@example.com>', timeoutMs: 2_000 }),
      slack: new SlackSender(),
      webhook: new WebhookSender(() => clock),
      sms: new SmsWebhookSender(),
      web_push: new WebPushSender(vapid),
    };
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((n) => n.stop()));
    http.requests.length = 0;
    smtp.messages.length = 0;
  });
  afterAll(async () => {
    await Promise.all([http.close(), smtp.close(), database.dispose()]);
  });

  async function newUser(): Promise<string> {
    const id = crypto.randomUUID();
    await sql`insert into users (id, email, password_hash, role) values (${id}, ${`${id}@example.com`}, 'x', 'trader')`.execute(
      database.handle.db,
    );
    return id;
  }

  async function addChannel(
    userId: string,
    config: ChannelConfig,
    name: string = config.type,
  ): Promise<ChannelRecord> {
    const channel = {
      id: crypto.randomUUID(),
      userId,
      name,
      enabled: true,
      config,
      createdAt: new Date(clock),
    };
    await store.insertChannel(channel);
    return channel;
  }

  function notifier(options: Partial<NotifierOptions> = {}): Notifier {
    const n = new Notifier({
      store,
      senders,
      now: () => clock,
      publicUrl: 'https://pulse.example.com',
      timeoutMs: 1_000,
      backoff: { baseMs: 10, maxMs: 50 },
      sweepMs: 20,
      ...options,
    });
    running.push(n);
    return n;
  }

  const settled = (id: string, statuses: DeliveryRecord['status'][] = ['delivered', 'failed', 'dropped']) =>
    vi.waitFor(
      async () => {
        const found = await database.handle.db
          .withTables<{ notify_deliveries: { id: string; status: string } }>()
          .selectFrom('notify_deliveries')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        if (!statuses.includes(found.status as DeliveryRecord['status']))
          throw new Error(`still ${found.status}`);
      },
      { timeout: 10_000, interval: 10 },
    );

  const logged = async (userId: string, id: string) =>
    (await store.listDeliveries(userId, { limit: 100 })).find((d) => d.id === id);

  it('delivers to e-mail, Slack, a signed webhook, SMS, web push and the inbox, each in its own shape', async () => {
    const user = await newUser();
    const secret = 'whsec_test';
    const channels = [
      await addChannel(user, { type: 'in_app' }),
      await addChannel(user, { type: 'email', to: 'trader@example.com' }),
      await addChannel(user, { type: 'slack', url: `${http.url}/slack` }),
      await addChannel(user, { type: 'webhook', url: `${http.url}/hook`, secret }),
      await addChannel(user, {
        type: 'sms',
        url: `${http.url}/sms`,
        username: 'AC123',
        password: 'token',
        from: '+15005550006',
        to: '+14155550100',
      }),
      await addChannel(user, { type: 'web_push', subscription: browserSubscription(`${http.url}/push/abc`) }),
    ];
    const n = notifier();
    const result = await n.notify(user, {
      title: 'AAPL crossed 200',
      body: 'Close 201.50 > 200 <b>',
      url: '/signals/42',
      urgency: 'normal',
    });
    expect(result.deliveries.map((d) => d.channelType).sort()).toEqual(
      channels.map((c) => c.config.type).sort(),
    );
    for (const d of result.deliveries) await settled(d.id);
    for (const d of result.deliveries)
      expect(await logged(user, d.id)).toMatchObject({ status: 'delivered', attempts: 1 });

    const [mail] = smtp.messages;
    expect(mail).toMatchObject({ from: 'pulse@example.com', to: ['trader@example.com'], user: 'user' });
    expect(mail?.raw).toMatch(/^Subject: AAPL crossed 200\r?$/m);
    expect(mail?.raw).toContain('Close 201.50 > 200 <b>');
    expect(mail?.raw).toContain('https://pulse.example.com/signals/42');

    const [slack] = http.at('/slack');
    expect(slack?.headers['content-type']).toBe('application/json');
    const slackBody = JSON.parse(slack?.body.toString() ?? '') as {
      text: string;
      blocks: { text: { text: string } }[];
    };
    expect(slackBody.blocks[0]?.text.text).toBe(
      '*AAPL crossed 200*\nClose 201.50 &gt; 200 &lt;b&gt;\n<https://pulse.example.com/signals/42|Open in Pulse>',
    );

    const [hook] = http.at('/hook');
    const timestamp = String(hook?.headers['x-pulse-timestamp']);
    const raw = hook?.body.toString() ?? '';
    expect(timestamp).toBe(String(Math.floor(clock / 1000)));
    expect(hook?.headers['x-pulse-signature']).toBe(
      `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`,
    );
    expect(webhookSignature(secret, timestamp, raw)).toBe(hook?.headers['x-pulse-signature']);
    expect(JSON.parse(raw)).toMatchObject({
      type: 'notification',
      title: 'AAPL crossed 200',
      url: 'https://pulse.example.com/signals/42',
      urgency: 'normal',
    });

    const [sms] = http.at('/sms');
    expect(sms?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sms?.headers.authorization).toBe(`Basic ${Buffer.from('AC123:token').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(sms?.body.toString()))).toEqual({
      To: '+14155550100',
      From: '+15005550006',
      Body: 'AAPL crossed 200: Close 201.50 > 200 <b> https://pulse.example.com/signals/42',
    });

    const [push] = http.at('/push/abc');
    expect(push?.headers.authorization).toMatch(
      new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${vapid.publicKey}$`),
    );
    expect(push?.headers['content-encoding']).toBe('aes128gcm');
    expect(push?.headers['content-type']).toBe('application/octet-stream');
    expect(push?.headers.ttl).toBe('86400');
    expect(push?.body.length).toBeGreaterThan(86);
    expect(push?.body.toString('latin1')).not.toContain('AAPL');

    const inbox = await store.listInbox(user, { limit: 10, unreadOnly: true });
    expect(inbox).toMatchObject([{ title: 'AAPL crossed 200', url: '/signals/42', readAt: null }]);
  });

  it('times out a hanging receiver, retries it with backoff and fails it, while other channels deliver at once', async () => {
    const user = await newUser();
    http.behave('/hang', 'hang');
    const slow = await addChannel(user, { type: 'webhook', url: `${http.url}/hang`, secret: 's' });
    const fast = await addChannel(user, { type: 'slack', url: `${http.url}/fast` });
    const n = notifier({ timeoutMs: 400, maxAttempts: 3 });
    const began = Date.now();
    const { deliveries } = await n.notify(user, { title: 't', body: 'b', urgency: 'normal' });
    expect(Date.now() - began).toBeLessThan(400);
    const slowId = deliveries.find((d) => d.channelId === slow.id)?.id ?? '';
    const fastId = deliveries.find((d) => d.channelId === fast.id)?.id ?? '';
    await settled(fastId);
    expect(Date.now() - began).toBeLessThan(400);
    expect(await logged(user, slowId)).toMatchObject({ status: 'sending', attempts: 1 });
    await settled(slowId);
    expect(await logged(user, slowId)).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastError: 'timed out after 400 ms (after 3 attempts)',
    });
    expect(http.at('/hang')).toHaveLength(3);
  });

  it('delivers on attempt 3 after two 503s, and fails a 400 at once without retrying', async () => {
    const user = await newUser();
    http.behave('/flaky', 503, 503, 200);
    http.behave('/reject', 400);
    const flaky = await addChannel(user, { type: 'webhook', url: `${http.url}/flaky`, secret: 's' });
    await addChannel(user, { type: 'slack', url: `${http.url}/reject` });
    const { deliveries } = await notifier().notify(user, { title: 't', body: 'b', urgency: 'normal' });
    for (const d of deliveries) await settled(d.id);
    const [a, b] = deliveries.map((d) => d.id);
    const byChannel = (id: string | undefined) => logged(user, id ?? '');
    const flakyLog = deliveries[0]?.channelId === flaky.id ? await byChannel(a) : await byChannel(b);
    const rejectLog = deliveries[0]?.channelId === flaky.id ? await byChannel(b) : await byChannel(a);
    expect(flakyLog).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(http.at('/flaky')).toHaveLength(3);
    expect(rejectLog).toMatchObject({ status: 'failed', attempts: 1, lastError: 'HTTP 400: status 400' });
    expect(http.at('/reject')).toHaveLength(1);
  });

  it('holds non-urgent external deliveries in quiet hours and sends them when they end; urgent ones go through', async () => {
    const user = await newUser();
    // 14:30Z is 10:30 in New York: quiet 10:00–11:00 local ends at 15:00Z.
    await store.setQuietHours(user, {
      enabled: true,
      timeZone: 'America/New_York',
      start: '10:00',
      end: '11:00',
    });
    await addChannel(user, { type: 'in_app' });
    await addChannel(user, { type: 'webhook', url: `${http.url}/quiet`, secret: 's' });
    const n = notifier();
    await n.start();
    const normal = await n.notify(user, { title: 'normal', body: 'b', urgency: 'normal' });
    const urgent = await n.notify(user, { title: 'urgent', body: 'b', urgency: 'urgent' });
    const held = normal.deliveries.find((d) => d.channelType === 'webhook');
    expect(held).toMatchObject({ status: 'held', nextAttemptAt: new Date('2024-03-12T15:00:00Z') });
    expect(normal.deliveries.find((d) => d.channelType === 'in_app')?.status).toBe('queued');
    for (const d of urgent.deliveries) await settled(d.id);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(http.at('/quiet').map((r) => JSON.parse(r.body.toString()).title)).toEqual(['urgent']);
    expect((await logged(user, held?.id ?? ''))?.status).toBe('held');

    clock = Date.parse('2024-03-12T15:00:00Z');
    await settled(held?.id ?? '');
    expect(http.at('/quiet').map((r) => JSON.parse(r.body.toString()).title)).toEqual(['urgent', 'normal']);
    clock = Date.parse('2024-03-12T14:30:00Z');
  });

  it('sends a dedupe key once within the window, and again after it', async () => {
    const user = await newUser();
    await addChannel(user, { type: 'webhook', url: `${http.url}/dedupe`, secret: 's' });
    const n = notifier({ dedupeWindowMs: 60_000 });
    const message = { title: 't', body: 'b', urgency: 'normal', dedupeKey: 'rule-7:bar-1' } as const;
    const [first, second] = await Promise.all([n.notify(user, message), n.notify(user, message)]);
    expect([first?.duplicate, second?.duplicate].sort()).toEqual([false, true]);
    await n.idle();
    // A fresh engine (a restart) still sees the key in the delivery log.
    expect((await notifier({ dedupeWindowMs: 60_000 }).notify(user, message)).duplicate).toBe(true);
    expect(http.at('/dedupe')).toHaveLength(1);
    clock += 61_000;
    const later = await n.notify(user, message);
    expect(later.duplicate).toBe(false);
    await n.idle();
    expect(http.at('/dedupe')).toHaveLength(2);
    clock = Date.parse('2024-03-12T14:30:00Z');
  });

  it('records deliveries beyond the queue bound as dropped, with the reason', async () => {
    const user = await newUser();
    http.behave('/busy', 'hang');
    await addChannel(user, { type: 'webhook', url: `${http.url}/busy`, secret: 's' }, 'a');
    await addChannel(user, { type: 'webhook', url: `${http.url}/busy`, secret: 's' }, 'b');
    await addChannel(user, { type: 'slack', url: `${http.url}/busy` }, 'c');
    const n = notifier({ queueCapacity: 2, timeoutMs: 5_000 });
    const { deliveries } = await n.notify(user, { title: 't', body: 'b', urgency: 'normal' });
    expect(deliveries.map((d) => d.status)).toEqual(['queued', 'queued', 'dropped']);
    expect(await logged(user, deliveries[2]?.id ?? '')).toMatchObject({
      status: 'dropped',
      lastError: 'delivery queue full',
    });
  });

  it('resumes queued and interrupted deliveries after a restart', async () => {
    const user = await newUser();
    http.behave('/restart', 'hang');
    const channel = await addChannel(user, { type: 'webhook', url: `${http.url}/restart`, secret: 's' });
    const first = notifier({ timeoutMs: 5_000 });
    const interrupted = (await first.notify(user, { title: 'one', body: 'b', urgency: 'normal' }))
      .deliveries[0];
    await vi.waitFor(() => expect(http.at('/restart')).toHaveLength(1));
    await first.stop();
    // Recorded while stopped: persisted as queued, not sent.
    const waiting = (await first.notify(user, { title: 'two', body: 'b', urgency: 'normal' }, [channel.id]))
      .deliveries[0];
    expect(await logged(user, interrupted?.id ?? '')).toMatchObject({ status: 'sending', attempts: 1 });
    expect(await logged(user, waiting?.id ?? '')).toMatchObject({ status: 'queued', attempts: 0 });

    http.behave('/restart', 200);
    await notifier().start();
    await settled(interrupted?.id ?? '');
    await settled(waiting?.id ?? '');
    expect(await logged(user, interrupted?.id ?? '')).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(await logged(user, waiting?.id ?? '')).toMatchObject({ status: 'delivered', attempts: 1 });
  });
});

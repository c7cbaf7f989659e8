import crypto from 'node:crypto';
import type { ChannelType } from '../../contracts/notify.js';
import { type BackoffOptions, backoffDelay } from './backoff.js';
import type { ChannelSenders, OutgoingNotification } from './channel-sender.js';
import { asDeliveryError } from './delivery-error.js';
import { DeliveryQueue } from './delivery-queue.js';
import type {
  ChannelConfig,
  ChannelRecord,
  DeliveryPatch,
  DeliveryRecord,
  NotificationMessage,
  NotifyStore,
} from './notify-store.js';
import { quietUntil } from './quiet-hours.js';
import { withDeadline } from './with-deadline.js';

/** Per channel type, how many sends may run at once. */
export const DEFAULT_CONCURRENCY: Readonly<Record<ChannelType, number>> = {
  in_app: 16,
  email: 4,
  slack: 4,
  webhook: 8,
  sms: 2,
  web_push: 8,
};

/** How the delivery engine behaves; every field has a production default. */
export interface NotifierOptions {
  store: NotifyStore;
  senders: ChannelSenders;
  now?: () => number;
  /** PUBLIC_URL: relative message URLs become absolute for external channels. */
  publicUrl?: string | undefined;
  /** Deliveries held in memory at once (waiting, sending, or waiting to retry). */
  queueCapacity?: number;
  concurrency?: Partial<Record<ChannelType, number>>;
  /** Per external call. */
  timeoutMs?: number;
  maxAttempts?: number;
  backoff?: BackoffOptions;
  dedupeWindowMs?: number;
  /** How often held deliveries are released and overflow is resumed. */
  sweepMs?: number;
  random?: () => number;
  log?: (error: unknown, message: string) => void;
}

/** What `notify` did: the deliveries it recorded, or nothing because the dedupe key was seen. */
export interface NotifyResult {
  duplicate: boolean;
  deliveries: DeliveryRecord[];
}

const TITLE_MAX = 200;
const BODY_MAX = 2_000;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The delivery engine: `notify` records one delivery per channel and only enqueues; a bounded
 * in-process queue sends them with a concurrency limit per channel type, a timeout per call, and
 * retries with backoff on transient failures. Deliveries are persisted, so `start` resumes them.
 */
export class Notifier {
  private readonly queue: DeliveryQueue;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffOptions;
  private readonly dedupeWindowMs: number;
  private readonly random: () => number;
  private readonly log: (error: unknown, message: string) => void;
  private readonly recentKeys = new Map<string, number>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly tests = new Set<string>();
  private readonly listeners = new Set<(delivery: DeliveryRecord) => void>();
  private shutdown = new AbortController();
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: NotifierOptions) {
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoff = options.backoff ?? { baseMs: 1_000, maxMs: 5 * 60_000 };
    this.dedupeWindowMs = options.dedupeWindowMs ?? 10 * 60_000;
    this.random = options.random ?? Math.random;
    this.log = options.log ?? (() => undefined);
    const concurrency = { ...DEFAULT_CONCURRENCY, ...options.concurrency };
    this.queue = new DeliveryQueue({
      capacity: options.queueCapacity ?? 1_000,
      concurrency: (lane) => concurrency[lane as ChannelType],
      onError: (error, job) => {
        this.log(error, 'notification delivery failed unexpectedly');
        this.queue.release(job.id);
      },
    });
  }

  /** Whether this server can send on `type` (e-mail needs SMTP, web push needs VAPID keys). */
  canSend(type: ChannelType): boolean {
    return type === 'in_app' || this.options.senders[type] !== undefined;
  }

  /** Calls `listener` with a copy of every delivery whose state changes; returns the unsubscribe. */
  onChange(listener: (delivery: DeliveryRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Records one delivery per enabled channel of the user (or of `channelIds`, if given) and
   * enqueues them; never waits for a send. A full queue records `dropped`, quiet hours `held`.
   */
  async notify(
    userId: string,
    message: NotificationMessage,
    channelIds?: readonly string[],
  ): Promise<NotifyResult> {
    const now = this.now();
    if (message.dedupeKey !== undefined && (await this.isDuplicate(userId, message.dedupeKey, now)))
      return { duplicate: true, deliveries: [] };
    const wanted = channelIds && new Set(channelIds);
    const channels = (await this.options.store.listChannels(userId)).filter(
      (c) => c.enabled && (!wanted || wanted.has(c.id)),
    );
    const until =
      message.urgency === 'urgent'
        ? undefined
        : quietUntil(await this.options.store.getQuietHours(userId), now);
    const deliveries = channels.map((channel) =>
      this.newDelivery(userId, channel, message, now, channel.config.type === 'in_app' ? undefined : until),
    );
    return { duplicate: false, deliveries: await this.record(deliveries) };
  }

  /** Sends a test message to one channel now (quiet hours, dedupe and `enabled` aside) and waits for the first attempt. */
  async sendTest(channel: ChannelRecord, waitMs = this.timeoutMs + 2_000): Promise<DeliveryRecord> {
    const message: NotificationMessage = {
      title: 'Pulse test notification',
      body: `This is a test of your “${channel.name}” channel. If you can read it, the channel works.`,
      url: '/settings/notifications',
      urgency: 'urgent',
    };
    const delivery = this.newDelivery(channel.userId, channel, message, this.now(), undefined);
    this.tests.add(delivery.id);
    const settled = this.waitFor(delivery.id, (d) => d.status !== 'sending' && d.attempts > 0, waitMs);
    const [recorded] = await this.record([delivery]);
    if (recorded?.status !== 'queued') return recorded ?? delivery;
    return (await settled) ?? recorded;
  }

  /** Resumes queued and interrupted deliveries, then releases held ones as their quiet hours end. */
  async start(): Promise<void> {
    this.stopped = false;
    this.shutdown = new AbortController();
    this.queue.resume();
    await this.sweep();
    const every = this.options.sweepMs ?? 15_000;
    this.sweepTimer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.log(error, 'notification sweep failed'));
    }, every);
    this.sweepTimer.unref();
  }

  /** Stops sending: in-flight sends are aborted and stay `sending`, to be resumed by the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.queue.pause();
    this.shutdown.abort(new Error('notifier stopped'));
    await Promise.allSettled([...this.inFlight]);
    this.queue.clear();
  }

  /** Resolves when nothing is queued, sending or waiting to retry (tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async isDuplicate(userId: string, key: string, now: number): Promise<boolean> {
    for (const [k, until] of this.recentKeys) if (until <= now) this.recentKeys.delete(k);
    const memoryKey = `${userId}\u0000${key}`;
    if (this.recentKeys.has(memoryKey)) return true;
    // Claimed before any await, so two concurrent calls with one key make one set of deliveries.
    this.recentKeys.set(memoryKey, now + this.dedupeWindowMs);
    return this.options.store.hasDedupeKey(userId, key, new Date(now - this.dedupeWindowMs));
  }

  private newDelivery(
    userId: string,
    channel: ChannelRecord,
    message: NotificationMessage,
    now: number,
    heldUntil: number | undefined,
  ): DeliveryRecord {
    const at = new Date(now);
    return {
      id: crypto.randomUUID(),
      userId,
      channelId: channel.id,
      channelType: channel.config.type,
      status: heldUntil === undefined ? 'queued' : 'held',
      title: clip(message.title, TITLE_MAX),
      body: clip(message.body, BODY_MAX),
      url: message.url ?? null,
      urgency: message.urgency,
      dedupeKey: message.dedupeKey ?? null,
      attempts: 0,
      nextAttemptAt: heldUntil === undefined ? null : new Date(heldUntil),
      lastError: heldUntil === undefined ? null : 'quiet hours',
      createdAt: at,
      updatedAt: at,
      deliveredAt: null,
    };
  }

  /** Reserves queue slots (or marks dropped/failed), persists, then starts the queued ones. */
  private async record(deliveries: DeliveryRecord[]): Promise<DeliveryRecord[]> {
    for (const d of deliveries) {
      if (d.status !== 'queued') continue;
      if (!this.canSend(d.channelType)) {
        Object.assign(d, {
          status: 'failed',
          lastError: `this server is not configured to send ${d.channelType}`,
        });
      } else if (!this.stopped && !this.queue.reserve(d.id)) {
        Object.assign(d, { status: 'dropped', lastError: 'delivery queue full' });
      }
    }
    try {
      await this.options.store.insertDeliveries(deliveries);
    } catch (error) {
      for (const d of deliveries) this.queue.release(d.id);
      throw error;
    }
    for (const d of deliveries) {
      this.emit(d);
      if (d.status === 'queued' && this.queue.has(d.id)) this.enqueue(d);
    }
    return deliveries.map((d) => ({ ...d }));
  }

  private enqueue(delivery: DeliveryRecord): void {
    this.queue.push({
      id: delivery.id,
      lane: delivery.channelType,
      run: async () => {
        const attempt = this.attempt(delivery);
        this.inFlight.add(attempt);
        try {
          if ((await attempt) === 'done') this.queue.release(delivery.id);
        } finally {
          this.inFlight.delete(attempt);
        }
      },
    });
  }

  /** Schedules the job after `delay` ms, keeping its queue slot. */
  private enqueueAfter(delivery: DeliveryRecord, delay: number): void {
    if (delay <= 0) return this.enqueue(delivery);
    const timer = setTimeout(() => {
      this.retryTimers.delete(delivery.id);
      this.enqueue(delivery);
    }, delay);
    this.retryTimers.set(delivery.id, timer);
  }

  private async attempt(d: DeliveryRecord): Promise<'done' | 'retry' | 'stopped'> {
    if (this.stopped) return 'stopped';
    const channel = d.channelId === null ? undefined : await this.options.store.findChannel(d.channelId);
    if (!channel) return this.finish(d, { status: 'failed', lastError: 'the channel was deleted' });
    if (!channel.enabled && !this.tests.has(d.id))
      return this.finish(d, { status: 'dropped', lastError: 'the channel is disabled' });
    if (d.attempts >= this.maxAttempts)
      return this.finish(d, { status: 'failed', lastError: `gave up after ${d.attempts} attempts` });
    await this.update(d, { status: 'sending', attempts: d.attempts + 1, nextAttemptAt: null });
    try {
      await withDeadline(
        (signal) => this.send(channel.config, d, signal),
        this.timeoutMs,
        this.shutdown.signal,
      );
    } catch (thrown) {
      // Shutting down: leave it `sending`; the next start resumes it.
      if (this.stopped) return 'stopped';
      const error = asDeliveryError(thrown);
      if (error.kind === 'permanent' || d.attempts >= this.maxAttempts) {
        const lastError =
          error.kind === 'permanent' ? error.message : `${error.message} (after ${d.attempts} attempts)`;
        return this.finish(d, { status: 'failed', lastError });
      }
      const wait = Math.min(
        this.backoff.maxMs,
        Math.max(backoffDelay(d.attempts, this.backoff, this.random), error.retryAfterMs ?? 0),
      );
      await this.update(d, {
        status: 'queued',
        lastError: error.message,
        nextAttemptAt: new Date(this.now() + wait),
      });
      this.enqueueAfter(d, wait);
      return 'retry';
    }
    return this.finish(d, { status: 'delivered', lastError: null, deliveredAt: new Date(this.now()) });
  }

  private async finish(d: DeliveryRecord, patch: DeliveryPatch): Promise<'done'> {
    this.tests.delete(d.id);
    await this.update(d, { ...patch, nextAttemptAt: null });
    return 'done';
  }

  private async send(config: ChannelConfig, d: DeliveryRecord, signal: AbortSignal): Promise<void> {
    const note = this.outgoing(d);
    const { senders } = this.options;
    const missing = () => Promise.reject(new Error(`no sender for ${config.type}`));
    switch (config.type) {
      case 'in_app':
        return this.options.store.insertInboxItem({
          id: crypto.randomUUID(),
          userId: d.userId,
          deliveryId: d.id,
          title: d.title,
          body: d.body,
          url: d.url,
          urgency: d.urgency,
          createdAt: new Date(this.now()),
          readAt: null,
        });
      case 'email':
        return senders.email ? senders.email.send(config, note, signal) : missing();
      case 'slack':
        return senders.slack ? senders.slack.send(config, note, signal) : missing();
      case 'webhook':
        return senders.webhook ? senders.webhook.send(config, note, signal) : missing();
      case 'sms':
        return senders.sms ? senders.sms.send(config, note, signal) : missing();
      case 'web_push':
        return senders.web_push ? senders.web_push.send(config, note, signal) : missing();
    }
  }

  private outgoing(d: DeliveryRecord): OutgoingNotification {
    let url: string | undefined;
    if (d.url !== null && /^https?:\/\//i.test(d.url)) url = d.url;
    else if (d.url !== null && d.url.startsWith('/') && this.options.publicUrl)
      url = new URL(d.url, this.options.publicUrl).href;
    return {
      deliveryId: d.id,
      title: d.title,
      body: d.body,
      url,
      urgency: d.urgency,
      createdAt: d.createdAt,
    };
  }

  private async update(d: DeliveryRecord, patch: DeliveryPatch): Promise<void> {
    const at = new Date(this.now());
    Object.assign(d, patch, { updatedAt: at });
    this.emit(d);
    await this.options.store.updateDelivery(d.id, patch, at);
  }

  private emit(d: DeliveryRecord): void {
    for (const listener of this.listeners) listener({ ...d });
  }

  private waitFor(
    id: string,
    done: (d: DeliveryRecord) => boolean,
    ms: number,
  ): Promise<DeliveryRecord | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        stop();
        resolve(undefined);
      }, ms);
      const stop = this.onChange((d) => {
        if (d.id !== id || !done(d)) return;
        clearTimeout(timer);
        stop();
        resolve(d);
      });
    });
  }

  /** Releases held deliveries that are due, and picks up queued ones not in memory (restart, overflow). */
  private async sweep(): Promise<void> {
    if (this.stopped) return;
    const { store } = this.options;
    const due = await store.releaseHeld(new Date(this.now()), this.queue.free);
    const busy = new Set([...this.queue.ids(), ...due.map((d) => d.id)]);
    const waiting = await store.resumable(Math.max(0, this.queue.free - due.length), busy);
    for (const d of [...due, ...waiting]) {
      if (this.stopped || !this.queue.reserve(d.id)) continue;
      if (!this.canSend(d.channelType)) {
        await this.finish(d, {
          status: 'failed',
          lastError: `this server is not configured to send ${d.channelType}`,
        });
        this.queue.release(d.id);
        continue;
      }
      this.emit(d);
      this.enqueueAfter(d, (d.nextAttemptAt?.getTime() ?? 0) - this.now());
    }
  }
}

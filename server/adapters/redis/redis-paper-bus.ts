import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { PaperBus } from '../../trading/paper-cluster.js';

/** Limits of the bus; every queue is bounded. */
export interface RedisPaperBusOptions {
  /** Key and channel prefix; `pulse:paper:` by default. */
  readonly prefix?: string;
  /** Requests kept waiting in Redis for the owner (the oldest are dropped); 1,000 by default. */
  readonly maxQueued?: number;
  /** Requests this node waits on at once (more are refused at once); 1,000 by default. */
  readonly maxInFlight?: number;
  /** Requests the owner runs at once (it pops no more until one ends); 256 by default. */
  readonly maxServing?: number;
  /** How long the owner blocks on an empty queue before checking it should still serve; 1 s by default. */
  readonly blockSeconds?: number;
  readonly log?: (error: unknown, message: string) => void;
}

const Envelope = z.object({
  id: z.string().max(64),
  replyTo: z.string().max(64),
  /** Epoch ms after which the sender has given up: the owner drops the request unanswered. */
  deadline: z.number(),
  body: z.string(),
});

const Reply = z.object({ id: z.string().max(64), body: z.string() });

interface Waiting {
  resolve: (body: string) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The paper-trading bus over Redis (REDIS_URL). A request is LPUSHed to one list that the owner BRPOPs on a
 * connection of its own; the reply is PUBLISHed on the asking node's channel. Broadcasts use one pub/sub
 * channel. Three connections: commands, subscriptions, and (while serving) the blocking pop.
 */
export class RedisPaperBus implements PaperBus {
  readonly nodeId = crypto.randomUUID();
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private subscription: Promise<unknown> | undefined;
  private readonly waiting = new Map<string, Waiting>();
  private readonly listeners = new Set<(body: string) => void>();
  private readonly keys: { queue: string; broadcast: string; reply: (node: string) => string };

  constructor(
    url: string,
    private readonly options: RedisPaperBusOptions = {},
  ) {
    const prefix = options.prefix ?? 'pulse:paper:';
    this.keys = {
      queue: `${prefix}requests`,
      broadcast: `${prefix}broadcast`,
      reply: (node) => `${prefix}reply:${node}`,
    };
    const log = options.log ?? (() => undefined);
    this.commands = new Redis(url, { maxRetriesPerRequest: 2 });
    this.commands.on('error', (error) => log(error, 'paper bus: redis'));
    this.subscriber = this.commands.duplicate();
    this.subscriber.on('error', (error) => log(error, 'paper bus: redis subscriber'));
    this.subscriber.on('message', (channel: string, message: string) => this.receive(channel, message));
    this.subscribed().catch((error: unknown) => log(error, 'paper bus: subscribing failed'));
  }

  /** Subscribes to the broadcast and reply channels once; a failed attempt is tried again on next use. */
  private subscribed(): Promise<unknown> {
    this.subscription ??= this.subscriber
      .subscribe(this.keys.broadcast, this.keys.reply(this.nodeId))
      .catch((error: unknown) => {
        this.subscription = undefined;
        throw error;
      });
    return this.subscription;
  }

  async request(body: string, timeoutMs: number): Promise<string> {
    if (this.waiting.size >= (this.options.maxInFlight ?? 1_000))
      throw new Error('too many requests in flight to the owner of paper trading');
    const id = crypto.randomUUID();
    const deadline = Date.now() + timeoutMs;
    const reply = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no answer from the owner of paper trading within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
    });
    const envelope: z.infer<typeof Envelope> = { id, replyTo: this.nodeId, deadline, body };
    const sent = (async () => {
      await this.subscribed();
      await this.commands
        .multi()
        .lpush(this.keys.queue, JSON.stringify(envelope))
        .ltrim(this.keys.queue, 0, (this.options.maxQueued ?? 1_000) - 1)
        .pexpire(this.keys.queue, Math.max(timeoutMs * 2, 10_000))
        .exec();
    })();
    sent.catch((error: unknown) =>
      this.settle(id, error instanceof Error ? error : new Error(String(error))),
    );
    return reply;
  }

  serve(handler: (body: string) => Promise<string>): () => Promise<void> {
    const blocking = this.commands.duplicate({ maxRetriesPerRequest: null });
    const log = this.options.log ?? (() => undefined);
    blocking.on('error', (error) => log(error, 'paper bus: redis (serving)'));
    let stopped = false;
    let running = 0;
    let freed: (() => void) | undefined;
    const loop = async () => {
      while (!stopped) {
        if (running >= (this.options.maxServing ?? 256)) {
          await new Promise<void>((resolve) => (freed = resolve));
          continue;
        }
        let popped: [string, string] | null;
        try {
          popped = await blocking.brpop(this.keys.queue, this.options.blockSeconds ?? 1);
        } catch (error) {
          if (!stopped) {
            log(error, 'paper bus: waiting for requests failed');
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
          continue;
        }
        if (!popped) continue;
        if (stopped) {
          // Popped as this node stopped serving: back to the old end, for the next owner.
          await this.commands.rpush(this.keys.queue, popped[1]).catch(() => undefined);
          break;
        }
        const envelope = parse(Envelope, popped[1]);
        if (!envelope || envelope.deadline <= Date.now()) continue;
        running += 1;
        void handler(envelope.body)
          .then((reply) =>
            this.commands.publish(
              this.keys.reply(envelope.replyTo),
              JSON.stringify({ id: envelope.id, body: reply }),
            ),
          )
          .catch((error: unknown) => log(error, 'paper bus: answering a request failed'))
          .finally(() => {
            running -= 1;
            freed?.();
            freed = undefined;
          });
      }
    };
    const done = loop();
    return async () => {
      stopped = true;
      freed?.();
      blocking.disconnect();
      await done;
    };
  }

  async publish(body: string): Promise<void> {
    await this.commands.publish(this.keys.broadcast, body);
  }

  subscribe(listener: (body: string) => void): () => void {
    this.listeners.add(listener);
    this.subscribed().catch((error: unknown) =>
      (this.options.log ?? (() => undefined))(error, 'paper bus: subscribing failed'),
    );
    return () => this.listeners.delete(listener);
  }

  /** Fails every waiting request and closes the connections. */
  async close(): Promise<void> {
    for (const id of [...this.waiting.keys()]) this.settle(id, new Error('the paper bus closed'));
    this.subscriber.disconnect();
    await this.commands.quit().catch(() => this.commands.disconnect());
  }

  private receive(channel: string, message: string): void {
    if (channel === this.keys.broadcast) {
      for (const listener of this.listeners) listener(message);
      return;
    }
    const reply = parse(Reply, message);
    if (reply) this.settle(reply.id, reply.body);
  }

  private settle(id: string, outcome: string | Error): void {
    const waiting = this.waiting.get(id);
    if (!waiting) return;
    this.waiting.delete(id);
    clearTimeout(waiting.timer);
    if (typeof outcome === 'string') waiting.resolve(outcome);
    else waiting.reject(outcome);
  }
}

function parse<T>(schema: z.ZodType<T>, text: string): T | undefined {
  try {
    return schema.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}

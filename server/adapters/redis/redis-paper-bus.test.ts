import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RedisPaperBus, type RedisPaperBusOptions } from './redis-paper-bus.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

describe('RedisPaperBus', () => {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = `pulse:test:paper-bus:${crypto.randomBytes(6).toString('hex')}:`;
  const buses: RedisPaperBus[] = [];
  const stops: (() => Promise<void>)[] = [];

  const bus = (options: RedisPaperBusOptions = {}) => {
    const made = new RedisPaperBus(REDIS_URL, { prefix, blockSeconds: 0.1, ...options });
    buses.push(made);
    return made;
  };

  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    for (const made of buses.splice(0)) await made.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  });

  afterAll(() => {
    redis.disconnect();
  });

  it('delivers a request to the serving node and its reply to the asking node only', async () => {
    const owner = bus();
    const asker = bus();
    const other = bus();
    stops.push(owner.serve(async (body) => `echo:${body}`));
    const [a, b] = await Promise.all([asker.request('one', 2_000), other.request('two', 2_000)]);
    expect(a).toBe('echo:one');
    expect(b).toBe('echo:two');
  });

  it('drops a request whose deadline passed before the owner took it', async () => {
    const asker = bus();
    const late = asker.request('stale', 100);
    await expect(late).rejects.toThrow(/no answer/);
    const handled: string[] = [];
    stops.push(
      bus().serve(async (body) => {
        handled.push(body);
        return body;
      }),
    );
    expect(await asker.request('fresh', 2_000)).toBe('fresh');
    expect(handled).toEqual(['fresh']);
  });

  it('rejects when nobody serves within the timeout, and refuses past its in-flight bound at once', async () => {
    const asker = bus({ maxInFlight: 1 });
    const started = Date.now();
    const first = asker.request('a', 300);
    await expect(asker.request('b', 300)).rejects.toThrow(/too many/);
    await expect(first).rejects.toThrow(/no answer/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('rejects within the timeout when Redis cannot be reached', async () => {
    const unreachable = new RedisPaperBus('redis://127.0.0.1:1', { prefix });
    const started = Date.now();
    await expect(unreachable.request('x', 200)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
    await unreachable.close();
  });

  it('keeps at most maxQueued requests waiting, dropping the oldest', async () => {
    const asker = bus({ maxQueued: 2 });
    const waits = ['1', '2', '3', '4'].map((body) => asker.request(body, 300).catch(() => 'timed out'));
    await new Promise((r) => setTimeout(r, 100));
    const queued = await redis.lrange(`${prefix}requests`, 0, -1);
    expect(queued.map((raw) => (JSON.parse(raw) as { body: string }).body)).toEqual(['4', '3']);
    await Promise.all(waits);
  });

  it('broadcasts to every subscriber, the sender included', async () => {
    const a = bus();
    const b = bus();
    const heard: string[] = [];
    a.subscribe((body) => heard.push(`a:${body}`));
    b.subscribe((body) => heard.push(`b:${body}`));
    // Both subscriptions are live once a request round trip through each has completed.
    stops.push(a.serve(async (body) => body));
    await Promise.all([a.request('x', 2_000), b.request('y', 2_000)]);
    await a.publish('hello');
    for (let i = 0; i < 50 && heard.length < 2; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(heard.sort()).toEqual(['a:hello', 'b:hello']);
  });
});

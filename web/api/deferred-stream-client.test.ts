import { describe, expect, it } from 'vitest';
import type { StreamChannels, StreamClient, StreamStatus } from './stream-client.js';
import { deferredStreamClient } from './deferred-stream-client.js';

/** A client that records what was registered on it. */
function recordingClient() {
  const subscriptions = new Set<StreamChannels>();
  const statusListeners = new Set<(s: StreamStatus) => void>();
  let closed = 0;
  const client: StreamClient = {
    subscribe: (channels) => {
      subscriptions.add(channels);
      return () => subscriptions.delete(channels);
    },
    onMessage: () => () => undefined,
    onResume: () => () => undefined,
    onStatus: (listener) => {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    status: () => 'open',
    close: () => {
      closed += 1;
    },
  };
  return { client, subscriptions, statusListeners, closed: () => closed };
}

describe('deferredStreamClient', () => {
  it('loads on first use only, then applies what was registered before, minus what was removed', async () => {
    const real = recordingClient();
    let loads = 0;
    const stream = deferredStreamClient(async () => {
      loads += 1;
      return real.client;
    });
    expect(stream.status()).toBe('idle');
    expect(loads).toBe(0);
    const kept: StreamChannels = { trades: ['AAPL'] };
    const dropped: StreamChannels = { quotes: ['MSFT'] };
    stream.subscribe(kept);
    const unsubscribe = stream.subscribe(dropped);
    const seen: StreamStatus[] = [];
    stream.onStatus((s) => seen.push(s));
    unsubscribe();
    await Promise.resolve();
    await Promise.resolve();
    expect(loads).toBe(1);
    expect([...real.subscriptions]).toEqual([kept]);
    expect(real.statusListeners.size).toBe(1);
    expect(stream.status()).toBe('open');
    // After loading, calls go straight through and removers still work.
    const later = stream.subscribe({ bars: ['SPY'] });
    expect(real.subscriptions.size).toBe(2);
    later();
    expect(real.subscriptions.size).toBe(1);
    expect(loads).toBe(1);
  });

  it('closes the loaded client when closed before it arrived, and never loads when unused', async () => {
    const real = recordingClient();
    const stream = deferredStreamClient(async () => real.client);
    stream.subscribe({ trades: ['AAPL'] });
    stream.close();
    await Promise.resolve();
    await Promise.resolve();
    expect(real.closed()).toBe(1);
    let loaded = false;
    deferredStreamClient(async () => {
      loaded = true;
      return real.client;
    }).close();
    expect(loaded).toBe(false);
  });
});

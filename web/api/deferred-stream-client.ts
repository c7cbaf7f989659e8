import type { StreamChannels, StreamClient, StreamStatus } from './stream-client.js';

/**
 * A stream client whose implementation loads on first use: the shell carries only this, and the WebSocket
 * client (reconnects, backoff, resume) arrives in its own chunk when a screen first subscribes or listens.
 * Everything registered before it loads is applied once it has; every remover works before and after.
 */
export function deferredStreamClient(load: () => Promise<StreamClient>): StreamClient {
  let client: StreamClient | null = null;
  let loading: Promise<void> | null = null;
  let closed = false;
  const waiting: ((c: StreamClient) => void)[] = [];

  const whenReady = (use: (c: StreamClient) => void): void => {
    if (client !== null) {
      use(client);
      return;
    }
    waiting.push(use);
    closed = false;
    loading ??= load().then((loaded) => {
      client = loaded;
      for (const run of waiting.splice(0)) run(loaded);
      if (closed) loaded.close();
    });
  };

  /** Registers through `attach` once loaded; the returned remover undoes it whenever it is called. */
  const deferred = (attach: (c: StreamClient) => () => void): (() => void) => {
    let remove: (() => void) | null = null;
    let removed = false;
    whenReady((c) => {
      if (!removed) remove = attach(c);
    });
    return () => {
      removed = true;
      remove?.();
    };
  };

  return {
    subscribe: (channels: StreamChannels) => deferred((c) => c.subscribe(channels)),
    onMessage: (listener) => deferred((c) => c.onMessage(listener)),
    onResume: (listener) => deferred((c) => c.onResume(listener)),
    onStatus: (listener: (status: StreamStatus) => void) => deferred((c) => c.onStatus(listener)),
    status: () => client?.status() ?? 'idle',
    close: () => {
      closed = true;
      client?.close();
    },
  };
}

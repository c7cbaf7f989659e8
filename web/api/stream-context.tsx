import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { deferredStreamClient } from './deferred-stream-client.js';
import type { StreamClient, StreamStatus } from './stream-client.js';

const StreamContext = createContext<StreamClient | null>(null);

/** Provides a given stream client (tests pass a fake); the app uses {@link StreamProvider}. */
export const StreamClientProvider = StreamContext.Provider;

/**
 * Owns one stream client for its subtree (mount it where a session exists); closes it on unmount. The client's code
 * loads with the first screen that streams, not with the shell.
 */
export function StreamProvider({ children }: { children: ReactNode }) {
  const [client] = useState(() =>
    deferredStreamClient(() =>
      import('./stream-client.js').then((m) => m.createStreamClient({ url: m.streamUrl(window.location) })),
    ),
  );
  useEffect(() => () => client.close(), [client]);
  return <StreamContext.Provider value={client}>{children}</StreamContext.Provider>;
}

/** The stream client from the nearest StreamProvider. */
export function useStream(): StreamClient {
  const client = useContext(StreamContext);
  if (client === null) throw new Error('useStream needs a StreamProvider');
  return client;
}

/** The stream's connection status; re-renders on change. */
export function useStreamStatus(): StreamStatus {
  const client = useStream();
  return useSyncExternalStore(client.onStatus, client.status, client.status);
}

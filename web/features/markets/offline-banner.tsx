import { useEffect, useState } from 'react';
import { useOfflineState } from '../../api/offline-context.js';
import type { StreamStatus } from '../../api/stream-client.js';
import { formatExchangeDateTime } from './format.js';

function useBrowserOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = (): void => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/**
 * Says so when both the live stream and the server are out of reach: what is shown comes from this
 * device's cache (and from when), or there is nothing cached to show.
 */
export function OfflineBanner({ streamStatus }: { streamStatus: StreamStatus }) {
  const offline = useOfflineState();
  const online = useBrowserOnline();
  const streamDown = streamStatus !== 'open' && streamStatus !== 'connecting';
  if (!streamDown || (offline.reachable && online)) return null;
  const since =
    offline.cachedSince === null ? null : formatExchangeDateTime(Math.floor(offline.cachedSince / 1000));
  return (
    <div className="notice offline-banner" role="status" data-testid="offline-banner">
      {since === null
        ? 'Offline — nothing is cached on this device yet, so there is no data to show until the connection returns.'
        : `Offline — showing cached data from ${since}${offline.missing ? ' (some of it was never cached)' : ''}. Prices are not live.`}
    </div>
  );
}

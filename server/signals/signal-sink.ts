import type { FiringRecord, SignalRecord } from './signal-store.js';

/** Receives each firing once, after it is stored (the in-app record); e.g. the notification system. */
export interface SignalSink {
  deliver(firing: FiringRecord, signal: SignalRecord): Promise<void>;
}

/** The notification request a signal firing becomes (the shape server/notify's NotificationSink accepts). */
export interface SignalNotification {
  userId: string;
  title: string;
  body: string;
  url: string;
  dedupeKey: string;
  channelIds: readonly string[];
}

function formatValues(values: Readonly<Record<string, number | null>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} = ${v === null ? '—' : +v.toPrecision(8)}`)
    .join(', ');
}

/** A sink that notifies the signal's channels through `deliver` (wire it to server/notify's sink); no channels, no call. */
export function notifySignalSink(deliver: (request: SignalNotification) => Promise<unknown>): SignalSink {
  return {
    async deliver(firing, signal) {
      if (signal.actions.notify.length === 0) return;
      await deliver({
        userId: firing.userId,
        title: `${signal.name}: ${firing.symbol} ${firing.timeframe}`,
        body: `${signal.source} fired at the ${new Date(firing.barTime).toISOString()} bar close (close ${firing.bar.c}). ${formatValues(firing.values)}`,
        url: `/signals/${signal.id}`,
        dedupeKey: `signal:${signal.id}:${firing.symbol}:${firing.barTime}`,
        channelIds: signal.actions.notify,
      });
    },
  };
}

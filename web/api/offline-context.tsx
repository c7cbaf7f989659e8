import { createContext, useContext, useSyncExternalStore } from 'react';
import type { OfflineState, OfflineTracker } from './offline-cache.js';

const always: OfflineState = { reachable: true, cachedSince: null, missing: false };
const noTracker: OfflineTracker = {
  state: () => always,
  subscribe: () => () => undefined,
  setBrowserOnline: () => undefined,
};
const OfflineContext = createContext<OfflineTracker>(noTracker);

/** Makes the offline tracker of the API client available to {@link useOfflineState}. */
export const OfflineProvider = OfflineContext.Provider;

/** Whether the server is reachable and what, if anything, is shown from the offline cache. */
export function useOfflineState(): OfflineState {
  const tracker = useContext(OfflineContext);
  return useSyncExternalStore(tracker.subscribe, tracker.state, tracker.state);
}

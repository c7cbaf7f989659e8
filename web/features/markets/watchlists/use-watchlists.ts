import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { Watchlist } from '../../../../contracts/watchlists.js';
import { useApi } from '../../../api/api-context.js';
import { watchlistReducer, type WatchlistAction } from './watchlist-reducer.js';

/** Query key of the signed-in user's watchlists. */
export const watchlistsKey = ['watchlists'] as const;
const changeKey = ['watchlists', 'change'] as const;

/** The user's watchlists, in order. */
export function useWatchlists() {
  const api = useApi();
  return useQuery({
    queryKey: watchlistsKey,
    queryFn: ({ signal }) => api.getWatchlists(signal),
    staleTime: 60_000,
  });
}

type Result = Watchlist | Watchlist[] | void;

/** One optimistic change: what the UI shows at once, the request, and how its answer lands. */
export interface WatchlistChange<R extends Result = Result> {
  action: WatchlistAction;
  request: () => Promise<R>;
  /** How the server's answer replaces the optimistic state (default: a list replaces its copy, an array all). */
  confirm?: (lists: readonly Watchlist[], result: R) => readonly Watchlist[];
}

function defaultConfirm(lists: readonly Watchlist[], result: Result): readonly Watchlist[] {
  if (result === undefined) return lists;
  if (Array.isArray(result)) return result;
  return watchlistReducer(lists, { type: 'replace', list: result });
}

/**
 * Runs watchlist changes optimistically: the cache changes at once through {@link watchlistReducer},
 * sends the requests one at a time in order, rolls back (and refetches) when the server refuses, and takes the server's answer once no other
 * change is still in flight. `error` is the last refusal's message, for an inline alert.
 */
export function useWatchlistChanges() {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationKey: changeKey,
    // One at a time, in order: each request was built on the optimistic state of the ones before it.
    scope: { id: 'watchlists' },
    mutationFn: (change: WatchlistChange) => change.request(),
    onMutate: async (change) => {
      setError(null);
      await queryClient.cancelQueries({ queryKey: watchlistsKey });
      const previous = queryClient.getQueryData<Watchlist[]>(watchlistsKey);
      if (previous !== undefined) {
        queryClient.setQueryData<readonly Watchlist[]>(
          watchlistsKey,
          watchlistReducer(previous, change.action),
        );
      }
      return { previous };
    },
    onError: (failure, _change, context) => {
      if (context?.previous !== undefined) queryClient.setQueryData(watchlistsKey, context.previous);
      setError(failure.message);
      void queryClient.invalidateQueries({ queryKey: watchlistsKey });
    },
    onSuccess: (result, change) => {
      // An answer to an earlier change would undo a later optimistic one: wait for the last.
      if (queryClient.isMutating({ mutationKey: changeKey }) > 1) return;
      const lists = queryClient.getQueryData<Watchlist[]>(watchlistsKey) ?? [];
      const confirm = change.confirm ?? defaultConfirm;
      queryClient.setQueryData<readonly Watchlist[]>(watchlistsKey, confirm(lists, result));
    },
  });

  const { mutateAsync } = mutation;
  const run = useCallback(
    async <R extends Result>(change: WatchlistChange<R>): Promise<R | undefined> => {
      try {
        return (await mutateAsync(change as unknown as WatchlistChange)) as R;
      } catch {
        return undefined;
      }
    },
    [mutateAsync],
  );
  return { run, error, clearError: useCallback(() => setError(null), []) };
}

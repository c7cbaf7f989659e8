import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { Me, SetupStatus } from '../../../contracts/auth.js';
import type { ApiClient } from '../../api/api-client.js';
import { useApi } from '../../api/api-context.js';
import { isApiError } from '../../api/api-error.js';

/** Query keys of the session. */
export const sessionKeys = { setup: ['setup'] as const, me: ['me'] as const };

/** Whether first-run setup is still open. */
export function useSetupStatus() {
  const api = useApi();
  return useQuery<SetupStatus>({
    queryKey: sessionKeys.setup,
    queryFn: () => api.getSetup(),
    staleTime: Infinity,
  });
}

/** Reads the signed-in user; `null` when signed out (the server's AUTH_REQUIRED). */
export async function fetchSession(api: ApiClient): Promise<Me | null> {
  try {
    return await api.getMe();
  } catch (error) {
    if (isApiError(error, 'AUTH_REQUIRED')) return null;
    throw error;
  }
}

/** The signed-in user, or null; only runs when `enabled`. */
export function useSession(enabled: boolean) {
  const api = useApi();
  return useQuery<Me | null>({
    queryKey: sessionKeys.me,
    queryFn: () => fetchSession(api),
    enabled,
    staleTime: Infinity,
    retry: (count, error) => isApiError(error, 'CLIENT_NETWORK_ERROR', 'SERVICE_NOT_READY') && count < 2,
  });
}

/** Records a new session: setup is done and `me` is signed in. */
export function signedIn(queryClient: QueryClient, me: Me): void {
  queryClient.setQueryData<SetupStatus>(sessionKeys.setup, (old) => ({ ...old, needsOwner: false }));
  queryClient.setQueryData<Me | null>(sessionKeys.me, me);
}

/**
 * Signs out; the local session ends even when the server call fails (the cookie may be gone already). A plain
 * callback rather than a react-query mutation, so the shell does not carry the mutation machinery.
 */
export function useSignOut(): { mutate: () => void; isPending: boolean } {
  const api = useApi();
  const queryClient = useQueryClient();
  const [isPending, setPending] = useState(false);
  const mutate = useCallback(() => {
    setPending(true);
    void api
      .logout()
      .catch(() => undefined)
      .finally(() => {
        queryClient.removeQueries({
          predicate: (query) => query.queryKey[0] !== 'me' && query.queryKey[0] !== 'setup',
        });
        queryClient.setQueryData<Me | null>(sessionKeys.me, null);
        setPending(false);
      });
  }, [api, queryClient]);
  return { mutate, isPending };
}

import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CreateOwnerBody, LoginBody, Me, SetupStatus } from '../../../contracts/auth.js';
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

function signedIn(queryClient: QueryClient, me: Me): void {
  queryClient.setQueryData<SetupStatus>(sessionKeys.setup, { needsOwner: false });
  queryClient.setQueryData<Me | null>(sessionKeys.me, me);
}

/** Creates the owner account (first run); signs in on success. */
export function useCreateOwner() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateOwnerBody) => api.createOwner(body),
    onSuccess: (me) => signedIn(queryClient, me),
    onError: (error) => {
      // Someone else finished setup meanwhile: show the sign-in form instead.
      if (isApiError(error, 'AUTH_SETUP_COMPLETE'))
        void queryClient.invalidateQueries({ queryKey: sessionKeys.setup });
    },
  });
}

/** Signs in with e-mail and password. */
export function useSignIn() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) => api.login(body),
    onSuccess: (result) => {
      // With MFA on, the session starts only after the second step (useVerifyMfa).
      if (!('mfaRequired' in result)) signedIn(queryClient, result);
    },
  });
}

/** Completes a sign-in that needs a second factor. */
export function useVerifyMfa() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { challengeId: string; code: string }) => api.verifyMfa(body),
    onSuccess: (me) => signedIn(queryClient, me),
  });
}

/** Signs out; the local session ends even when the server call fails (the cookie may be gone already). */
export function useSignOut() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.logout(),
    onSettled: () => {
      queryClient.removeQueries({
        predicate: (query) => query.queryKey[0] !== 'me' && query.queryKey[0] !== 'setup',
      });
      queryClient.setQueryData<Me | null>(sessionKeys.me, null);
    },
  });
}

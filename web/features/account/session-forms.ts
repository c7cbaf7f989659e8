import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateOwnerBody, LoginBody } from '../../../contracts/auth.js';
import { useApi } from '../../api/api-context.js';
import { isApiError } from '../../api/api-error.js';
import { sessionKeys, signedIn } from './session.js';

// The signed-out forms' mutations: loaded with those forms, not with the shell.

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

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { Me } from '../../../contracts/auth.js';
import { PasskeyCeremony, WebAuthnOptions } from '../../../contracts/passkeys.js';
import { useApi } from '../../api/api-context.js';
import { getPasskey, passkeysSupported } from '../../api/webauthn.js';
import { signedIn } from './session.js';

/** A passkey ceremony's error, in words a person can act on. */
function problem(error: Error): string {
  if (error.name === 'NotAllowedError') return 'The passkey request was cancelled or timed out.';
  return error.message;
}

/** "Sign in with a passkey": no e-mail, no password — the passkey names the account. */
export function PasskeySignIn() {
  const api = useApi();
  const queryClient = useQueryClient();
  const signIn = useMutation({
    mutationFn: async () => {
      const { flowId, options } = await api.call(
        'POST',
        '/api/v1/auth/passkeys/sign-in/options',
        PasskeyCeremony,
      );
      const response = await getPasskey(options);
      await api.call('POST', '/api/v1/auth/passkeys/sign-in', Me, { flowId, response });
      // Through getMe, the client takes the new session's CSRF token.
      return api.getMe();
    },
    onSuccess: (me) => signedIn(queryClient, me),
  });
  if (!passkeysSupported()) return null;
  return (
    <div className="passkey-sign-in">
      {signIn.error ? (
        <div className="alert" role="alert">
          {problem(signIn.error)}
        </div>
      ) : null}
      <button type="button" className="button" onClick={() => signIn.mutate()} disabled={signIn.isPending}>
        {signIn.isPending ? 'Waiting for your passkey…' : 'Continue with a passkey'}
      </button>
    </div>
  );
}

/** The second step answered with one of the account's passkeys instead of a code. */
export function PasskeyMfa({ challengeId }: { challengeId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const verify = useMutation({
    mutationFn: async () => {
      const { options } = await api.call(
        'POST',
        '/api/v1/auth/mfa/passkey/options',
        z.object({ options: WebAuthnOptions }),
        { challengeId },
      );
      const response = await getPasskey(options);
      await api.call('POST', '/api/v1/auth/mfa/passkey', Me, { challengeId, response });
      return api.getMe();
    },
    onSuccess: (me) => signedIn(queryClient, me),
  });
  if (!passkeysSupported()) return null;
  return (
    <div className="passkey-sign-in">
      {verify.error ? (
        <div className="alert" role="alert">
          {problem(verify.error)}
        </div>
      ) : null}
      <button type="button" className="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? 'Waiting for your passkey…' : 'Use a passkey'}
      </button>
    </div>
  );
}

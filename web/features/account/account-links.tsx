import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Email, Me, Password } from '../../../contracts/auth.js';
import { ForgotPasswordJson, ResetPasswordBody, VerifyEmailBody } from '../../../contracts/account-links.js';
import { z } from 'zod';
import { useApi } from '../../api/api-context.js';
import { Link, useRouter } from '../../app/router-context.js';
import { TextField } from '../../ui/text-field.js';
import { AuthLayout } from './auth-layout.js';
import { NewAccountForm } from './new-account-form.js';
import { sessionKeys, signedIn } from './session.js';

function tokenFromUrl(): string {
  return new URLSearchParams(window.location.search).get('token') ?? '';
}

function Alert({ error }: { error: Error | null }) {
  return error ? (
    <div className="alert" role="alert">
      {error.message}
    </div>
  ) : null;
}

/** Open sign-up (SIGNUP=open): a trader account of one's own, signed in at once; a confirmation link is e-mailed. */
function SignUp() {
  const api = useApi();
  const router = useRouter();
  const queryClient = useQueryClient();
  const signUp = useMutation({
    mutationFn: async (body: { email: string; password: string }) => {
      await api.call('POST', '/api/v1/auth/signup', Me, body);
      // Through getMe, the client takes the new session's CSRF token.
      return api.getMe();
    },
    onSuccess: (me) => {
      signedIn(queryClient, me);
      router.navigate('/', { replace: true });
    },
  });
  return (
    <AuthLayout title="Create your Pulse account">
      <NewAccountForm
        pending={signUp.isPending}
        error={signUp.error}
        onSubmit={(body) => signUp.mutate(body)}
      >
        <Link href="/">Already have an account? Sign in</Link>
      </NewAccountForm>
    </AuthLayout>
  );
}

/** Asks for a reset link; the answer is the same whether or not the address has an account. */
function ForgotPassword() {
  const api = useApi();
  const [emailError, setEmailError] = useState<string | null>(null);
  const forgot = useMutation({
    mutationFn: (email: string) =>
      api.call('POST', '/api/v1/auth/password/forgot', ForgotPasswordJson, { email }),
  });
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const email = Email.safeParse(new FormData(event.currentTarget).get('email'));
    setEmailError(email.success ? null : 'Enter a valid e-mail address.');
    if (email.success) forgot.mutate(email.data);
  };
  if (forgot.isSuccess)
    return (
      <AuthLayout title="Check your e-mail">
        <p role="status">
          If an account uses that address, a link to choose a new password is on its way. It works once, for
          30 minutes.
        </p>
        <Link href="/">Back to sign-in</Link>
      </AuthLayout>
    );
  return (
    <AuthLayout title="Forgot your password?" intro="We will e-mail you a link to choose a new one.">
      <form onSubmit={submit} noValidate>
        <Alert error={forgot.error} />
        <TextField
          required
          name="email"
          label="E-mail"
          type="email"
          autoComplete="username"
          error={emailError}
        />
        <button type="submit" className="button button-primary" disabled={forgot.isPending}>
          {forgot.isPending ? 'Sending…' : 'Send reset link'}
        </button>
        <Link href="/">Back to sign-in</Link>
      </form>
    </AuthLayout>
  );
}

/** Sets a new password with the token from the e-mailed link. */
function ResetPassword() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [token] = useState(tokenFromUrl);
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const reset = useMutation({
    mutationFn: (password: string) =>
      api.call(
        'POST',
        '/api/v1/auth/password/reset',
        z.object({ endedSessions: z.number() }),
        ResetPasswordBody.parse({ token, password }),
      ),
    // Every session ended, this browser's too.
    onSuccess: () => queryClient.setQueryData(sessionKeys.me, null),
  });
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = Password.safeParse(form.get('password'));
    const confirm = form.get('confirm');
    if (!password.success) setPasswordError('Use at least 12 characters.');
    else if (password.data !== confirm) setPasswordError('The two passwords differ.');
    else {
      setPasswordError(null);
      reset.mutate(password.data);
    }
  };
  if (token.length < 20)
    return (
      <AuthLayout title="Reset link incomplete">
        <p>Open the link from the e-mail again, or ask for a new one.</p>
        <Link href="/forgot-password">Ask for a new link</Link>
      </AuthLayout>
    );
  if (reset.isSuccess)
    return (
      <AuthLayout title="Password changed">
        <p role="status">Your new password is set, and every session was signed out.</p>
        <Link href="/" className="button button-primary">
          Sign in
        </Link>
      </AuthLayout>
    );
  return (
    <AuthLayout title="Choose a new password">
      <form onSubmit={submit} noValidate>
        <Alert error={reset.error} />
        <TextField
          required
          name="password"
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters; not a common password."
          error={passwordError}
        />
        <TextField
          required
          name="confirm"
          label="Repeat the new password"
          type="password"
          autoComplete="new-password"
        />
        <button type="submit" className="button button-primary" disabled={reset.isPending}>
          {reset.isPending ? 'Saving…' : 'Set new password'}
        </button>
        <Link href="/forgot-password">Ask for a new link</Link>
      </form>
    </AuthLayout>
  );
}

/** Confirms the address with the token from the e-mailed link, once, as the page opens. */
function VerifyEmail() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [token] = useState(tokenFromUrl);
  const verify = useMutation({
    mutationFn: () =>
      api.call(
        'POST',
        '/api/v1/auth/verify-email',
        z.object({ emailVerified: z.literal(true) }),
        VerifyEmailBody.parse({ token }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKeys.me }),
  });
  const { mutate } = verify;
  useEffect(() => {
    if (token.length >= 20) mutate();
  }, [token, mutate]);
  return (
    <AuthLayout title={verify.isSuccess ? 'E-mail address confirmed' : 'Confirming your e-mail address'}>
      {verify.isSuccess ? <p role="status">Thank you: your address is confirmed.</p> : null}
      {verify.isPending ? <p className="muted">Checking the link…</p> : null}
      <Alert error={verify.error ?? (token.length < 20 ? new Error('This link is incomplete.') : null)} />
      <Link href="/">Continue to Pulse</Link>
    </AuthLayout>
  );
}

/** The screens reached from e-mailed links and "Forgot password?", by path; loaded lazily by the auth gate. */
export function AccountLinkScreen({ path }: { path: string }) {
  if (path === '/sign-up') return <SignUp />;
  if (path === '/reset-password') return <ResetPassword />;
  if (path === '/verify-email') return <VerifyEmail />;
  return <ForgotPassword />;
}

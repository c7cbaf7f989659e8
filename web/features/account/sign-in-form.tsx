import { lazy, Suspense, useState, type FormEvent } from 'react';
import { Email } from '../../../contracts/auth.js';
import { TextField } from '../../ui/text-field.js';
import { Link } from '../../app/router-context.js';
import { AuthLayout } from './auth-layout.js';
import { useSignIn, useVerifyMfa } from './session-forms.js';
import { useSetupStatus } from './session.js';

// Single sign-on buttons (and its errors) and passkeys load after the form, in their own chunks.
const SsoButtons = lazy(() => import('./sso-buttons.js').then((m) => ({ default: m.SsoButtons })));
const PasskeySignIn = lazy(() => import('./passkey-sign-in.js').then((m) => ({ default: m.PasskeySignIn })));
const PasskeyMfa = lazy(() => import('./passkey-sign-in.js').then((m) => ({ default: m.PasskeyMfa })));

/** A second-factor challenge from a single sign-on redirect (`#mfa=…`). */
const mfaFromHash = (): string | null => new URLSearchParams(window.location.hash.slice(1)).get('mfa');

/** Signs in with e-mail and password, then a TOTP or recovery code when MFA is on. */
export function SignInForm() {
  const signIn = useSignIn();
  const setup = useSetupStatus();
  const [challengeId, setChallengeId] = useState<string | null>(mfaFromHash);
  const [methods, setMethods] = useState<readonly string[] | undefined>(undefined);
  const [emailError, setEmailError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = Email.safeParse(form.get('email'));
    const password = form.get('password');
    setEmailError(email.success ? null : 'Enter a valid e-mail address.');
    const passwordOk = typeof password === 'string' && password.length > 0;
    setPasswordError(passwordOk ? null : 'Enter your password.');
    if (!email.success || !passwordOk) return;
    signIn.mutate(
      { email: email.data, password },
      {
        onSuccess: (result) => {
          setChallengeId('mfaRequired' in result ? result.challengeId : null);
          setMethods('mfaRequired' in result ? result.methods : undefined);
        },
      },
    );
  };

  if (challengeId !== null)
    return <MfaStep challengeId={challengeId} methods={methods} onCancel={() => setChallengeId(null)} />;

  return (
    <AuthLayout title="Sign in to Pulse">
      <form onSubmit={submit} noValidate>
        {signIn.error ? (
          <div className="alert" role="alert">
            {signIn.error.message}
          </div>
        ) : null}
        <TextField
          required
          name="email"
          label="E-mail"
          type="email"
          autoComplete="username"
          error={emailError}
        />
        <TextField
          required
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          error={passwordError}
        />
        <button type="submit" className="button button-primary" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        <Link href="/forgot-password">Forgot password?</Link>
        {setup.data?.signupOpen ? <Link href="/sign-up">Create an account</Link> : null}
      </form>
      <Suspense fallback={null}>
        <PasskeySignIn />
        <SsoButtons />
      </Suspense>
    </AuthLayout>
  );
}

/** The second step: a 6-digit code from the authenticator app, a recovery code, or a passkey. */
function MfaStep({
  challengeId,
  methods,
  onCancel,
}: {
  challengeId: string;
  methods: readonly string[] | undefined;
  onCancel: () => void;
}) {
  const verify = useVerifyMfa();
  const [codeError, setCodeError] = useState<string | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
    const ok = code.length >= 6 && code.length <= 32;
    setCodeError(ok ? null : 'Enter the 6-digit code from your authenticator app, or a recovery code.');
    if (ok) verify.mutate({ challengeId, code });
  };

  return (
    <AuthLayout title="Two-step verification">
      <form onSubmit={submit} noValidate>
        {verify.error ? (
          <div className="alert" role="alert">
            {verify.error.message}
          </div>
        ) : null}
        <TextField
          required
          name="code"
          label="Authentication code"
          inputMode="numeric"
          autoComplete="one-time-code"
          error={codeError}
        />
        <button type="submit" className="button button-primary" disabled={verify.isPending}>
          {verify.isPending ? 'Verifying…' : 'Verify'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Back
        </button>
      </form>
      {methods === undefined || methods.includes('passkey') ? (
        <Suspense fallback={null}>
          <PasskeyMfa challengeId={challengeId} />
        </Suspense>
      ) : null}
    </AuthLayout>
  );
}

import { useState, type FormEvent } from 'react';
import { Email } from '../../../contracts/auth.js';
import { TextField } from '../../ui/text-field.js';
import { AuthLayout } from './auth-layout.js';
import { useSignIn } from './session.js';

/** Signs in with e-mail and password; shows the server's message when it refuses. */
export function SignInForm() {
  const signIn = useSignIn();
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
    signIn.mutate({ email: email.data, password });
  };

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
      </form>
    </AuthLayout>
  );
}

import { useState, type FormEvent, type ReactNode } from 'react';
import { Email, Password } from '../../../contracts/auth.js';
import { TextField } from '../../ui/text-field.js';

interface FieldErrors {
  email?: string;
  password?: string;
  confirm?: string;
}

/** Props of {@link NewAccountForm}. */
export interface NewAccountFormProps {
  pending: boolean;
  error: Error | null;
  /** Called with a valid e-mail and a password that passed the policy and its confirmation. */
  onSubmit: (body: { email: string; password: string }) => void;
  /** Shown under the button (e.g. a link to sign in instead). */
  children?: ReactNode;
}

/** E-mail, password and its confirmation for a new account (first-run owner or sign-up), checked as typed in. */
export function NewAccountForm({ pending, error, onSubmit, children }: NewAccountFormProps) {
  const [errors, setErrors] = useState<FieldErrors>({});

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = Email.safeParse(form.get('email'));
    const password = Password.safeParse(form.get('password'));
    const confirm = form.get('confirm');
    const next: FieldErrors = {};
    if (!email.success) next.email = 'Enter a valid e-mail address.';
    if (!password.success)
      next.password = `The password needs ${password.error.issues[0]?.message ?? 'to be valid'}.`;
    else if (confirm !== password.data) next.confirm = 'The two passwords differ.';
    setErrors(next);
    if (!email.success || !password.success || next.confirm !== undefined) return;
    onSubmit({ email: email.data, password: password.data });
  };

  return (
    <form onSubmit={submit} noValidate>
      {error ? (
        <div className="alert" role="alert">
          {error.message}
        </div>
      ) : null}
      <TextField
        required
        name="email"
        label="E-mail"
        type="email"
        autoComplete="email"
        error={errors.email}
      />
      <TextField
        required
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters; common passwords are refused."
        error={errors.password}
      />
      <TextField
        required
        name="confirm"
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        error={errors.confirm}
      />
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? 'Creating…' : 'Create account'}
      </button>
      {children}
    </form>
  );
}

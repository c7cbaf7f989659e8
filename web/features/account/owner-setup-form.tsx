import { useState, type FormEvent } from 'react';
import { Email, Password } from '../../../contracts/auth.js';
import { TextField } from '../../ui/text-field.js';
import { AuthLayout } from './auth-layout.js';
import { useCreateOwner } from './session-forms.js';

interface FieldErrors {
  email?: string;
  password?: string;
  confirm?: string;
}

/** First run: creates the owner account, which signs in on success. */
export function OwnerSetupForm() {
  const createOwner = useCreateOwner();
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
    createOwner.mutate({ email: email.data, password: password.data });
  };

  return (
    <AuthLayout
      title="Create the owner account"
      intro="Welcome to Pulse. The first account owns this installation and can invite others later."
    >
      <form onSubmit={submit} noValidate>
        {createOwner.error ? (
          <div className="alert" role="alert">
            {createOwner.error.message}
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
          hint="At least 12 characters."
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
        <button type="submit" className="button button-primary" disabled={createOwner.isPending}>
          {createOwner.isPending ? 'Creating…' : 'Create account'}
        </button>
      </form>
    </AuthLayout>
  );
}

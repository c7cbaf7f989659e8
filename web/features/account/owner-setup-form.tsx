import { AuthLayout } from './auth-layout.js';
import { NewAccountForm } from './new-account-form.js';
import { useCreateOwner } from './session-forms.js';

/** First run: creates the owner account, which signs in on success. */
export function OwnerSetupForm() {
  const createOwner = useCreateOwner();
  return (
    <AuthLayout
      title="Create the owner account"
      intro="Welcome to Pulse. The first account owns this installation and can invite others later."
    >
      <NewAccountForm
        pending={createOwner.isPending}
        error={createOwner.error}
        onSubmit={(body) => createOwner.mutate(body)}
      />
    </AuthLayout>
  );
}

import { lazy, Suspense, type ReactNode } from 'react';
import type { Me } from '../../../contracts/auth.js';
import { AuthLayout } from './auth-layout.js';
import { useSession, useSetupStatus } from './session.js';
import { usePath } from '../../app/router-context.js';

// The signed-out screens load in their own chunks: a signed-in visit never needs them.
const SignInForm = lazy(() => import('./sign-in-form.js').then((m) => ({ default: m.SignInForm })));
const OwnerSetupForm = lazy(() =>
  import('./owner-setup-form.js').then((m) => ({ default: m.OwnerSetupForm })),
);

// Forgot/reset password and e-mail verification (e-mailed links land here) load in their own chunk.
const AccountLinkScreen = lazy(() =>
  import('./account-links.js').then((m) => ({ default: m.AccountLinkScreen })),
);
const ACCOUNT_LINK_PATHS = new Set(['/forgot-password', '/reset-password', '/verify-email', '/sign-up']);

function Unreachable({ message, retry }: { message: string; retry: () => void }) {
  return (
    <AuthLayout title="Pulse is not reachable">
      <div className="alert" role="alert">
        {message}
      </div>
      <button type="button" className="button" onClick={retry}>
        Try again
      </button>
    </AuthLayout>
  );
}

function Loading() {
  return (
    <main className="auth-screen" id="main" aria-busy="true">
      <p className="muted">Loading Pulse…</p>
    </main>
  );
}

/** E-mailed links → their screen; first run → owner setup; signed out → sign-in; signed in → `children(me)`. */
export function AuthGate({ children }: { children: (me: Me) => ReactNode }) {
  const setup = useSetupStatus();
  const session = useSession(setup.data?.needsOwner === false);
  const path = usePath();

  if (ACCOUNT_LINK_PATHS.has(path))
    return (
      <Suspense fallback={<Loading />}>
        <AccountLinkScreen path={path} />
      </Suspense>
    );
  if (setup.isError) return <Unreachable message={setup.error.message} retry={() => void setup.refetch()} />;
  if (setup.data === undefined) return <Loading />;
  if (setup.data.needsOwner)
    return (
      <Suspense fallback={<Loading />}>
        <OwnerSetupForm />
      </Suspense>
    );
  if (session.isError)
    return <Unreachable message={session.error.message} retry={() => void session.refetch()} />;
  if (session.data === undefined) return <Loading />;
  if (session.data === null)
    return (
      <Suspense fallback={<Loading />}>
        <SignInForm />
      </Suspense>
    );
  return children(session.data);
}

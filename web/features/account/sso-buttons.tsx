import { useQuery } from '@tanstack/react-query';
import { OidcProvidersJson } from '../../../contracts/account-links.js';
import { useApi } from '../../api/api-context.js';

const SSO_ERRORS: Readonly<Record<string, string>> = {
  AUTH_OIDC_NOT_LINKED:
    'A Pulse account uses that e-mail address. Sign in with your password, then link the provider in Settings.',
  AUTH_SIGNUP_CLOSED: 'No Pulse account is linked to that sign-in, and sign-up is closed: ask an admin.',
  AUTH_IDENTITY_TAKEN: 'That provider account is linked to another Pulse user.',
  AUTH_OIDC_UNAVAILABLE: 'The provider could not be reached; try again later.',
};

/** Why the last single sign-on failed, from the `#sso_error=CODE` the server redirected to. */
function ssoError(): string | null {
  const code = new URLSearchParams(window.location.hash.slice(1)).get('sso_error');
  if (code === null) return null;
  return SSO_ERRORS[code] ?? 'Single sign-on did not complete; start again.';
}

/** "Sign in with <provider>" for every configured provider (none: renders nothing). */
export function SsoButtons() {
  const api = useApi();
  const providers = useQuery({
    queryKey: ['auth', 'providers'],
    queryFn: () => api.call('GET', '/api/v1/auth/providers', OidcProvidersJson),
    staleTime: Infinity,
  });
  const error = ssoError();
  const list = providers.data?.providers ?? [];
  return (
    <>
      {error === null ? null : (
        <div className="alert" role="alert">
          {error}
        </div>
      )}
      {list.length === 0 ? null : (
        <div className="sso-buttons">
          {list.map((p) => (
            <a key={p.id} className="button" href={`/api/v1/auth/oidc/${encodeURIComponent(p.id)}/start`}>
              Sign in with {p.name}
            </a>
          ))}
        </div>
      )}
    </>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me } from '../../../contracts/auth.js';
import {
  IdentityListJson,
  OidcProvidersJson,
  OidcRedirectJson,
  ResendVerificationJson,
} from '../../../contracts/account-links.js';
import { useApi } from '../../api/api-context.js';

const KEYS = { identities: ['auth', 'identities'] as const, providers: ['auth', 'providers'] as const };

/** `#linked=<provider>` after returning from linking at a provider. */
const linkedFromHash = (): string | null => new URLSearchParams(window.location.hash.slice(1)).get('linked');

/**
 * Settings → Sign-in methods: whether the e-mail address is confirmed (with a resend button), the
 * single sign-on accounts linked to this one (unlink), and providers still to link.
 */
export function LinkedIdentities({ me }: { me: Me }) {
  const api = useApi();
  const client = useQueryClient();
  const identities = useQuery({
    queryKey: KEYS.identities,
    queryFn: () => api.call('GET', '/api/v1/auth/identities', IdentityListJson),
    retry: false,
  });
  const providers = useQuery({
    queryKey: KEYS.providers,
    queryFn: () => api.call('GET', '/api/v1/auth/providers', OidcProvidersJson),
    staleTime: Infinity,
    retry: false,
  });
  const resend = useMutation({
    mutationFn: () => api.call('POST', '/api/v1/auth/verify-email/resend', ResendVerificationJson),
  });
  const link = useMutation({
    mutationFn: (provider: string) =>
      api.call('POST', `/api/v1/auth/identities/${encodeURIComponent(provider)}/link`, OidcRedirectJson),
    onSuccess: ({ url }) => window.location.assign(url),
  });
  const unlink = useMutation({
    mutationFn: (id: string) => api.call('DELETE', `/api/v1/auth/identities/${encodeURIComponent(id)}`, null),
    onSuccess: () => void client.invalidateQueries({ queryKey: KEYS.identities }),
  });
  // Without the e-mail and single sign-on routes (older servers) there is nothing to show.
  if (identities.isError || !identities.data) return null;
  const linked = identities.data.identities;
  const unlinked = (providers.data?.providers ?? []).filter((p) => !linked.some((i) => i.provider === p.id));
  const justLinked = linkedFromHash();
  const error = resend.error ?? link.error ?? unlink.error;
  return (
    <section className="panel" aria-labelledby="settings-sign-in-methods">
      <h2 id="settings-sign-in-methods">Sign-in methods</h2>
      {error ? (
        <div className="alert" role="alert">
          {error.message}
        </div>
      ) : null}
      <p data-testid="email-verification">
        {me.emailVerified ? 'Your e-mail address is confirmed.' : 'Your e-mail address is not confirmed yet.'}
      </p>
      {me.emailVerified ? null : (
        <p>
          <button
            type="button"
            className="button"
            disabled={resend.isPending}
            onClick={() => resend.mutate()}
          >
            Send the confirmation e-mail again
          </button>
          {resend.isSuccess ? <span role="status"> Sent: check your inbox.</span> : null}
        </p>
      )}
      {justLinked === null ? null : <p role="status">Linked: you can now sign in with it.</p>}
      <p>
        {identities.data.hasPassword
          ? 'You can sign in with your password.'
          : 'Your account has no password.'}
      </p>
      {linked.length === 0 ? null : (
        <ul aria-label="Linked sign-ins">
          {linked.map((i) => (
            <li key={i.id}>
              {i.providerName}
              {i.email === null ? '' : ` (${i.email})`}{' '}
              <button
                type="button"
                className="button"
                disabled={unlink.isPending}
                onClick={() => unlink.mutate(i.id)}
                aria-label={`Unlink ${i.providerName}`}
              >
                Unlink
              </button>
            </li>
          ))}
        </ul>
      )}
      {unlinked.map((p) => (
        <button
          key={p.id}
          type="button"
          className="button"
          disabled={link.isPending}
          onClick={() => link.mutate(p.id)}
        >
          Link {p.name}
        </button>
      ))}
    </section>
  );
}

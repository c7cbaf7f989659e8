import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Passkey, PasskeyAdded, PasskeyCeremony } from '../../../../contracts/passkeys.js';
import { useApi } from '../../../api/api-context.js';
import { createPasskey, passkeysSupported } from '../../../api/webauthn.js';
import { TextField } from '../../../ui/text-field.js';

const when = (iso: string | null) => (iso === null ? 'never' : new Date(iso).toLocaleString());

/**
 * Settings → Security → Passkeys: add one (this device, a phone or a security key), see where each lives and when
 * it was last used, remove one with the password. The first second factor also shows recovery codes, once.
 */
export function PasskeysSection() {
  const api = useApi();
  const client = useQueryClient();
  const [codes, setCodes] = useState<string[] | null>(null);
  const list = useQuery({
    queryKey: ['security', 'passkeys'],
    queryFn: () => api.call('GET', '/api/v1/auth/passkeys', Passkey.array()),
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['security', 'passkeys'] });
    void client.invalidateQueries({ queryKey: ['me'] });
  };
  const add = useMutation({
    mutationFn: async (name: string) => {
      const { flowId, options } = await api.call('POST', '/api/v1/auth/passkeys/options', PasskeyCeremony);
      const response = await createPasskey(options);
      return api.call('POST', '/api/v1/auth/passkeys', PasskeyAdded, { flowId, name, response });
    },
    onSuccess: (added) => {
      setCodes(added.recoveryCodes);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (input: { id: string; password: string }) =>
      api.call('DELETE', `/api/v1/auth/passkeys/${encodeURIComponent(input.id)}`, null, {
        password: input.password,
      }),
    onSuccess: refresh,
  });
  const error = add.error ?? remove.error;
  const submitAdd = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    add.mutate(String(new FormData(event.currentTarget).get('passkeyName') ?? '').trim() || 'Passkey');
  };
  return (
    <div aria-labelledby="security-passkeys">
      <h3 id="security-passkeys">Passkeys</h3>
      <p className="muted">
        A passkey signs you in with this device&apos;s screen lock, a phone or a security key — no password to
        type or steal. It also answers the second step after a password.
      </p>
      {error && (
        <div className="alert" role="alert">
          {error.message}
        </div>
      )}
      {codes && (
        <div className="notice" role="status">
          <p>
            Two-factor sign-in is on. Recovery codes — shown only now; each works once if you lose your
            passkeys.
          </p>
          <ul aria-label="Passkey recovery codes" className="recovery-codes">
            {codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {list.data && list.data.length > 0 ? (
        <table className="data-table">
          <caption className="visually-hidden">Your passkeys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Added</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((p) => (
              <tr key={p.id}>
                <td>{p.name}</td>
                <td>{p.deviceType === 'multiDevice' ? 'Synced' : 'This device only'}</td>
                <td>{when(p.createdAt)}</td>
                <td>{when(p.lastUsedAt)}</td>
                <td>
                  <form
                    className="inline-form"
                    onSubmit={(event) => {
                      event.preventDefault();
                      const password = String(new FormData(event.currentTarget).get('password') ?? '');
                      remove.mutate({ id: p.id, password });
                    }}
                  >
                    <TextField
                      name="password"
                      label={`Password to remove ${p.name}`}
                      type="password"
                      autoComplete="current-password"
                    />
                    <button type="submit" className="button" disabled={remove.isPending}>
                      Remove
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : list.isSuccess ? (
        <p className="muted">No passkeys yet.</p>
      ) : null}
      {passkeysSupported() ? (
        <form onSubmit={submitAdd} aria-label="Add a passkey">
          <TextField name="passkeyName" label="Passkey name" placeholder="e.g. Work laptop" maxLength={64} />
          <button type="submit" className="button" disabled={add.isPending}>
            Add a passkey
          </button>
        </form>
      ) : (
        <p className="muted">This browser cannot use passkeys.</p>
      )}
    </div>
  );
}

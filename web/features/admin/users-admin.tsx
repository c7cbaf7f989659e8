import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { type Me, Role, SecuritySettingsJson, UserJson } from '../../../contracts/auth.js';
import { useApi } from '../../api/api-context.js';
import { TextField } from '../../ui/text-field.js';

const USERS = ['admin', 'users'] as const;
const SECURITY = ['admin', 'security'] as const;
const ROLES = Role.options;

/** Users (owners and admins): list, create, change role (owners), erase, and whether MFA is required. */
export function UsersAdmin({ me }: { me: Me }) {
  const api = useApi();
  const client = useQueryClient();
  const users = useQuery({
    queryKey: USERS,
    queryFn: () => api.call('GET', '/api/v1/users', UserJson.array()),
  });
  const security = useQuery({
    queryKey: SECURITY,
    queryFn: () => api.call('GET', '/api/v1/admin/security', SecuritySettingsJson),
  });
  const refresh = () => void client.invalidateQueries({ queryKey: USERS });
  const create = useMutation({
    mutationFn: (body: { email: string; password: string; role: Role }) =>
      api.call('POST', '/api/v1/users', UserJson, body),
    onSuccess: refresh,
  });
  const setRole = useMutation({
    mutationFn: (v: { id: string; role: Role }) =>
      api.call('PATCH', `/api/v1/users/${encodeURIComponent(v.id)}`, UserJson, { role: v.role }),
    onSuccess: refresh,
  });
  const erase = useMutation({
    mutationFn: (id: string) => api.call('POST', `/api/v1/admin/users/${encodeURIComponent(id)}/erase`, null),
    onSuccess: refresh,
  });
  const requireMfa = useMutation({
    mutationFn: (mfaRequired: boolean) =>
      api.call('PUT', '/api/v1/admin/security', SecuritySettingsJson, { mfaRequired }),
    onSuccess: (data) => client.setQueryData(SECURITY, data),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate(
      {
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        role: Role.parse(form.get('role')),
      },
      { onSuccess: () => (event.target as HTMLFormElement).reset() },
    );
  };
  const error = create.error ?? setRole.error ?? erase.error ?? requireMfa.error;
  const live = (users.data ?? []).filter((u) => !u.email.endsWith('@erased.invalid'));
  return (
    <section className="panel" aria-labelledby="settings-users">
      <h2 id="settings-users">Users</h2>
      {error && (
        <div className="alert" role="alert">
          {error.message}
        </div>
      )}
      <label>
        <input
          type="checkbox"
          checked={security.data?.mfaRequired ?? false}
          disabled={!security.data || requireMfa.isPending}
          onChange={(e) => requireMfa.mutate(e.target.checked)}
        />{' '}
        Require two-factor authentication for everyone
      </label>
      <table aria-labelledby="settings-users">
        <thead>
          <tr>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
            <th scope="col">Two-factor</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {live.map((u) => (
            <tr key={u.id}>
              <td>{u.email}</td>
              <td>
                {me.role === 'owner' && u.id !== me.id ? (
                  <select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    onChange={(e) => setRole.mutate({ id: u.id, role: Role.parse(e.target.value) })}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                ) : (
                  u.role
                )}
              </td>
              <td>{u.mfaEnabled ? 'on' : 'off'}</td>
              <td>
                {u.id !== me.id && (
                  <button
                    type="button"
                    className="button"
                    onClick={() => {
                      if (window.confirm(`Erase ${u.email}? Their personal data is deleted now.`))
                        erase.mutate(u.id);
                    }}
                  >
                    Erase {u.email}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={submit} aria-label="Create a user">
        <TextField name="email" label="New user's e-mail" type="email" required />
        <TextField
          name="password"
          label="Initial password"
          type="password"
          required
          autoComplete="new-password"
        />
        <div className="field">
          <label htmlFor="new-user-role">Role</label>
          <select id="new-user-role" name="role" defaultValue="trader">
            {ROLES.filter((r) => me.role === 'owner' || r !== 'owner').map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button" disabled={create.isPending}>
          Create user
        </button>
      </form>
    </section>
  );
}

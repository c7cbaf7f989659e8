import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { z } from 'zod';
import {
  ApiTokenJson,
  CreatedApiTokenJson,
  type Me,
  RecoveryCodes,
  SessionJson,
  TokenScope,
  TotpEnrolment,
} from '../../../../contracts/auth.js';
import { useApi } from '../../../api/api-context.js';
import { TextField } from '../../../ui/text-field.js';
import { PasskeysSection } from './passkeys-section.js';

const when = (iso: string | null) => (iso === null ? '—' : new Date(iso).toLocaleString());

/** Change password: the current one, then a new one the server's policy accepts. */
function PasswordForm() {
  const api = useApi();
  const [done, setDone] = useState<number | null>(null);
  const change = useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api.call('POST', '/api/v1/auth/password', z.object({ endedSessions: z.number() }), body),
    onSuccess: (r) => setDone(r.endedSessions),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({
      currentPassword: String(form.get('currentPassword') ?? ''),
      newPassword: String(form.get('newPassword') ?? ''),
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="security-password">
      <h3 id="security-password">Password</h3>
      {change.error && (
        <div className="alert" role="alert">
          {change.error.message}
        </div>
      )}
      {done !== null && (
        <p className="notice" role="status">
          Password changed; {done} other session(s) signed out.
        </p>
      )}
      <TextField
        name="currentPassword"
        label="Current password"
        type="password"
        autoComplete="current-password"
      />
      <TextField
        name="newPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters; common passwords are refused."
      />
      <button type="submit" className="button" disabled={change.isPending}>
        Change password
      </button>
    </form>
  );
}

/** TOTP: enrol with a QR code, confirm a code, see the recovery codes once; or turn it off. */
function TwoFactor({ me }: { me: Me }) {
  const api = useApi();
  const client = useQueryClient();
  const [enabled, setEnabled] = useState(me.mfaEnabled === true);
  // A passkey added or removed below turns two-factor on or off on the server: follow it.
  useEffect(() => setEnabled(me.mfaEnabled === true), [me.mfaEnabled]);
  const [codes, setCodes] = useState<string[] | null>(null);
  const enrol = useMutation({ mutationFn: () => api.call('POST', '/api/v1/auth/mfa/totp', TotpEnrolment) });
  const confirm = useMutation({
    mutationFn: (code: string) => api.call('POST', '/api/v1/auth/mfa/totp/confirm', RecoveryCodes, { code }),
    onSuccess: (r) => {
      setCodes(r.recoveryCodes);
      setEnabled(true);
      enrol.reset();
      void client.invalidateQueries({ queryKey: ['me'] });
    },
  });
  const disable = useMutation({
    mutationFn: (password: string) => api.call('DELETE', '/api/v1/auth/mfa', null, { password }),
    onSuccess: () => {
      setEnabled(false);
      setCodes(null);
    },
  });
  const error = enrol.error ?? confirm.error ?? disable.error;
  return (
    <div aria-labelledby="security-mfa">
      <h3 id="security-mfa">Two-factor authentication</h3>
      {error && (
        <div className="alert" role="alert">
          {error.message}
        </div>
      )}
      <p data-testid="mfa-status">
        {enabled ? 'On: an authenticator app code or a passkey is asked at sign-in.' : 'Off.'}
      </p>
      {codes && (
        <div className="notice" role="status">
          <p>Recovery codes — shown only now. Keep them somewhere safe; each works once.</p>
          <ul aria-label="Recovery codes" className="recovery-codes">
            {codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {!enabled && !enrol.data && (
        <button type="button" className="button" onClick={() => enrol.mutate()} disabled={enrol.isPending}>
          Set up an authenticator app
        </button>
      )}
      {!enabled && enrol.data && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            confirm.mutate(String(new FormData(event.currentTarget).get('code') ?? '').trim());
          }}
        >
          <p>Scan this code with your authenticator app, or enter the key by hand.</p>
          <img src={enrol.data.qrDataUrl} alt="QR code for your authenticator app" width={180} height={180} />
          <p>
            Key: <code data-testid="totp-secret">{enrol.data.secret}</code>
          </p>
          <TextField name="code" label="6-digit code" inputMode="numeric" autoComplete="one-time-code" />
          <button type="submit" className="button button-primary" disabled={confirm.isPending}>
            Turn on
          </button>
        </form>
      )}
      {enabled && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            disable.mutate(String(new FormData(event.currentTarget).get('password') ?? ''));
          }}
        >
          <TextField
            name="password"
            label="Password to turn off"
            type="password"
            autoComplete="current-password"
          />
          <button type="submit" className="button" disabled={disable.isPending}>
            Turn off two-factor
          </button>
        </form>
      )}
      <PasskeysSection />
    </div>
  );
}

/** Signed-in devices with revoke. */
function Sessions() {
  const api = useApi();
  const client = useQueryClient();
  const q = useQuery({
    queryKey: ['security', 'sessions'],
    queryFn: () => api.call('GET', '/api/v1/auth/sessions', SessionJson.array()),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.call('DELETE', `/api/v1/auth/sessions/${encodeURIComponent(id)}`, null),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['security', 'sessions'] }),
  });
  return (
    <div>
      <h3 id="security-sessions">Sessions</h3>
      <table aria-labelledby="security-sessions">
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">IP</th>
            <th scope="col">Last seen</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(q.data ?? []).map((s) => (
            <tr key={s.id} data-testid="session-row">
              <td>
                {s.device} {s.current && <span className="badge">this device</span>}
              </td>
              <td>{s.ip ?? '—'}</td>
              <td>{when(s.lastSeenAt)}</td>
              <td>
                {!s.current && (
                  <button type="button" className="button" onClick={() => revoke.mutate(s.id)}>
                    Sign out {s.device}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** API tokens: create with a scope and expiry (shown once, with copy), list, revoke. */
function Tokens() {
  const api = useApi();
  const client = useQueryClient();
  const [created, setCreated] = useState<string | null>(null);
  const q = useQuery({
    queryKey: ['security', 'tokens'],
    queryFn: () => api.call('GET', '/api/v1/tokens', ApiTokenJson.array()),
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ['security', 'tokens'] });
  const create = useMutation({
    mutationFn: (body: { name: string; scope: TokenScope; expiresInDays: number }) =>
      api.call('POST', '/api/v1/tokens', CreatedApiTokenJson, body),
    onSuccess: (t) => {
      setCreated(t.token);
      refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.call('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`, null),
    onSuccess: refresh,
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      name: String(form.get('name') ?? ''),
      scope: TokenScope.parse(form.get('scope')),
      expiresInDays: Number(form.get('expiresInDays') ?? 90),
    });
  };
  return (
    <div>
      <h3 id="security-tokens">API tokens</h3>
      {create.error && (
        <div className="alert" role="alert">
          {create.error.message}
        </div>
      )}
      {created && (
        <div className="notice" role="status">
          <p>Your new token — copy it now, it is not shown again:</p>
          <code data-testid="new-token">{created}</code>{' '}
          <button
            type="button"
            className="button"
            onClick={() => void navigator.clipboard?.writeText(created)}
          >
            Copy
          </button>
        </div>
      )}
      <form onSubmit={submit} className="inline-form">
        <TextField name="name" label="Token name" required maxLength={100} />
        <div className="field">
          <label htmlFor="token-scope">Scope</label>
          <select id="token-scope" name="scope" defaultValue="read">
            <option value="read">read</option>
            <option value="trade">trade</option>
            <option value="admin">admin</option>
          </select>
        </div>
        <TextField
          name="expiresInDays"
          label="Expires in (days)"
          type="number"
          min={1}
          max={365}
          defaultValue={90}
        />
        <button type="submit" className="button" disabled={create.isPending}>
          Create token
        </button>
      </form>
      <table aria-labelledby="security-tokens">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Scope</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(q.data ?? []).map((t) => (
            <tr key={t.id} data-testid="token-row">
              <td>{t.name}</td>
              <td>{t.scope}</td>
              <td>{when(t.expiresAt)}</td>
              <td>{when(t.lastUsedAt)}</td>
              <td>
                {t.revokedAt ? (
                  <span className="muted">revoked</span>
                ) : (
                  <button type="button" className="button" onClick={() => revoke.mutate(t.id)}>
                    Revoke {t.name}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Settings → Security: password, two-factor (authenticator app and passkeys), sessions, API tokens. */
export function SecuritySection({ me }: { me: Me }) {
  return (
    <section className="panel" aria-labelledby="settings-security">
      <h2 id="settings-security">Security</h2>
      <PasswordForm />
      <TwoFactor me={me} />
      <Sessions />
      <Tokens />
    </section>
  );
}

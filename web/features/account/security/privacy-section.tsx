import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ConsentJson, DeletionStatusJson } from '../../../../contracts/privacy.js';
import { useApi } from '../../../api/api-context.js';
import { setTelemetryConsent, telemetryConsent } from '../../../api/vitals.js';
import { TextField } from '../../../ui/text-field.js';

const CONSENT = ['privacy', 'consent'] as const;
const DELETION = ['privacy', 'deletion'] as const;

function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Settings → Privacy: consent switches, the data export, and deleting the account (with its grace period). */
export function PrivacySection() {
  const api = useApi();
  const client = useQueryClient();
  const consent = useQuery({
    queryKey: CONSENT,
    queryFn: () => api.call('GET', '/api/v1/me/consent', ConsentJson),
  });
  const deletion = useQuery({
    queryKey: DELETION,
    queryFn: () => api.call('GET', '/api/v1/me/delete', DeletionStatusJson),
  });
  const change = useMutation({
    mutationFn: (body: { analytics?: boolean; notifications?: boolean }) =>
      api.call('PUT', '/api/v1/me/consent', ConsentJson, body),
    onSuccess: (data) => {
      // This browser's diagnostics follow the account's answer.
      setTelemetryConsent(browserStorage(), data.analytics);
      client.setQueryData(CONSENT, data);
    },
  });
  const schedule = useMutation({
    mutationFn: (password: string) => api.call('POST', '/api/v1/me/delete', DeletionStatusJson, { password }),
    onSuccess: (data) => client.setQueryData(DELETION, data),
  });
  const cancel = useMutation({
    mutationFn: () => api.call('DELETE', '/api/v1/me/delete', DeletionStatusJson),
    onSuccess: (data) => client.setQueryData(DELETION, data),
  });
  // Until the account has answered, the checkbox shows what this browser does (on by default, off
  // under Do Not Track or Global Privacy Control); once it has, every browser opening Settings follows it.
  const answered = consent.data?.history.some((r) => r.purpose === 'analytics') ?? false;
  const analytics = answered
    ? (consent.data?.analytics ?? false)
    : telemetryConsent(browserStorage(), navigator);
  useEffect(() => {
    if (answered && consent.data) setTelemetryConsent(browserStorage(), consent.data.analytics);
  }, [answered, consent.data]);
  const error = change.error ?? schedule.error ?? cancel.error;
  const status = deletion.data;
  return (
    <section className="panel" aria-labelledby="settings-privacy">
      <h2 id="settings-privacy">Privacy</h2>
      {error && (
        <div className="alert" role="alert">
          {error.message}
        </div>
      )}
      <fieldset>
        <legend>Consent</legend>
        <label>
          <input
            type="checkbox"
            checked={analytics}
            disabled={!consent.data || change.isPending}
            onChange={(e) => change.mutate({ analytics: e.target.checked })}
          />{' '}
          Send diagnostics (errors and page speed) to this Pulse server
        </label>
        <br />
        <label>
          <input
            type="checkbox"
            checked={consent.data?.notifications ?? false}
            disabled={!consent.data || change.isPending}
            onChange={(e) => change.mutate({ notifications: e.target.checked })}
          />{' '}
          Optional notifications (product news and tips)
        </label>
        {consent.data && consent.data.history.length > 0 && (
          <p className="muted" data-testid="consent-last-change">
            Last changed {new Date(consent.data.history[0]?.at ?? '').toLocaleString()}.
          </p>
        )}
      </fieldset>
      <h3 id="privacy-export">Your data</h3>
      <p>
        <a className="button" href="/api/v1/me/export" download>
          Download my data
        </a>{' '}
        <span className="muted">One JSON file with everything Pulse holds about you (secrets left out).</span>
      </p>
      <h3 id="privacy-delete">Delete account</h3>
      {status?.scheduled ? (
        <div className="notice" role="status">
          <p data-testid="deletion-status">
            Your account will be erased on {new Date(status.dueAt ?? '').toLocaleString()}. Signing in again,
            or cancelling here, keeps it.
          </p>
          <button
            type="button"
            className="button"
            onClick={() => cancel.mutate()}
            disabled={cancel.isPending}
          >
            Cancel deletion
          </button>
        </div>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            schedule.mutate(String(new FormData(event.currentTarget).get('password') ?? ''));
          }}
        >
          <p>
            Your account is erased {status?.graceDays ?? 30} days after you ask: personal data is deleted, and
            orders and fills are kept without your name for accounting. Other devices are signed out now.
          </p>
          <TextField
            name="password"
            label="Password to confirm"
            type="password"
            autoComplete="current-password"
          />
          <button type="submit" className="button" disabled={schedule.isPending}>
            Delete my account
          </button>
        </form>
      )}
    </section>
  );
}

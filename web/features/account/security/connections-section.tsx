import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { BrokerKeysJson } from '../../../../contracts/auth.js';
import { useApi } from '../../../api/api-context.js';
import { ApiError } from '../../../api/api-error.js';
import { TextField } from '../../../ui/text-field.js';
import { TradingAccountSection } from './trading-account-section.js';

const KEYS = ['security', 'broker-keys'] as const;

/** Settings → Connections: Alpaca keys (add, replace, delete; only the last 4 shown) and linked sign-ins. */
export function ConnectionsSection() {
  const api = useApi();
  const client = useQueryClient();
  const q = useQuery({
    queryKey: KEYS,
    queryFn: async () => {
      try {
        return await api.call('GET', '/api/v1/broker-keys', BrokerKeysJson);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: KEYS });
    // Saved or deleted keys change which account the user can trade through (deleting returns to paper).
    void client.invalidateQueries({ queryKey: ['trading'] });
  };
  const save = useMutation({
    mutationFn: (body: { keyId: string; secretKey: string; scope: 'paper' | 'live' }) =>
      api.call('PUT', '/api/v1/broker-keys', BrokerKeysJson, body),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: () => api.call('DELETE', '/api/v1/broker-keys', null),
    onSuccess: refresh,
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate(
      {
        keyId: String(form.get('keyId') ?? ''),
        secretKey: String(form.get('secretKey') ?? ''),
        scope: form.get('scope') === 'live' ? 'live' : 'paper',
      },
      { onSuccess: () => (event.target as HTMLFormElement).reset() },
    );
  };
  const keys = q.data;
  const error = save.error ?? remove.error;
  return (
    <section className="panel" aria-labelledby="settings-connections">
      <h2 id="settings-connections">Connections</h2>
      <h3 id="connections-alpaca">Alpaca</h3>
      {error && (
        <div className="alert" role="alert">
          {error.message}
        </div>
      )}
      <p data-testid="broker-keys-status">
        {keys
          ? `Key …${keys.keyIdLast4} (${keys.scope === 'live' ? 'live trading' : 'paper'}), saved ${new Date(keys.updatedAt).toLocaleString()}.`
          : 'No keys saved.'}
      </p>
      <form onSubmit={submit} aria-labelledby="connections-alpaca">
        <TextField name="keyId" label="API key ID" required autoComplete="off" />
        <TextField name="secretKey" label="Secret key" type="password" required autoComplete="off" />
        <div className="field">
          <label htmlFor="broker-scope">Account</label>
          <select id="broker-scope" name="scope" defaultValue={keys?.scope ?? 'paper'}>
            <option value="paper">Paper</option>
            <option value="live">Live</option>
          </select>
        </div>
        <button type="submit" className="button" disabled={save.isPending}>
          {keys ? 'Replace keys' : 'Save keys'}
        </button>{' '}
        {keys && (
          <button
            type="button"
            className="button"
            onClick={() => remove.mutate()}
            disabled={remove.isPending}
          >
            Delete keys
          </button>
        )}
      </form>
      <p className="muted">
        Keys are encrypted at rest and never shown again; only the last four characters are.
      </p>
      <TradingAccountSection />
    </section>
  );
}

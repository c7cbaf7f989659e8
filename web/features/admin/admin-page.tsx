import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { z } from 'zod';
import type { Me } from '../../../contracts/auth.js';
import { Readiness } from '../../../contracts/health.js';
import {
  Alert,
  ErrorGroup,
  FirewallEventView,
  Incident,
  Monitor,
  VitalsSummary,
} from '../../../contracts/ops.js';
import { useApi } from '../../api/api-context.js';
import { setTelemetryConsent, telemetryConsent } from '../../api/vitals.js';
import { UsageSection } from './usage-section.js';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)} %`);
const keys = {
  monitors: ['admin', 'monitors'],
  alerts: ['admin', 'alerts'],
  incidents: ['admin', 'incidents'],
} as const;

function Health() {
  const api = useApi();
  const q = useQuery({
    queryKey: ['admin', 'readyz'],
    queryFn: () => api.call('GET', '/readyz', Readiness),
    refetchInterval: 15_000,
    retry: false,
  });
  return (
    <section className="panel" aria-labelledby="admin-health">
      <h2 id="admin-health">Component health</h2>
      {q.isError && <p role="alert">Not ready: {q.error.message}</p>}
      <ul>
        {Object.entries(q.data?.components ?? {}).map(([name, c]) => (
          <li key={name}>
            {c.ok ? '✅' : '❌'} {name} {c.detail && <span className="muted">{c.detail}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Monitors() {
  const api = useApi();
  const client = useQueryClient();
  const q = useQuery({
    queryKey: keys.monitors,
    queryFn: () => api.call('GET', '/api/v1/admin/monitors', Monitor.array()),
    refetchInterval: 30_000,
  });
  const [form, setForm] = useState({ name: '', url: '', component: '' });
  const create = useMutation({
    mutationFn: () =>
      api.call('POST', '/api/v1/admin/monitors', Monitor, {
        name: form.name,
        check: { kind: 'http', url: form.url },
        ...(form.component && { component: form.component }),
      }),
    onSuccess: () => {
      setForm({ name: '', url: '', component: '' });
      void client.invalidateQueries({ queryKey: keys.monitors });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section className="panel" aria-labelledby="admin-monitors">
      <h2 id="admin-monitors">Uptime monitors</h2>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>24 h</th>
            <th>7 d</th>
            <th>30 d</th>
            <th>90 d</th>
            <th>Last result</th>
          </tr>
        </thead>
        <tbody>
          {(q.data ?? []).map((m) => (
            <tr key={m.id}>
              <td>{m.name}</td>
              <td>{m.status}</td>
              <td>{pct(m.uptime['24h'])}</td>
              <td>{pct(m.uptime['7d'])}</td>
              <td>{pct(m.uptime['30d'])}</td>
              <td>{pct(m.uptime['90d'])}</td>
              <td className="muted">{m.lastDetail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={submit} aria-label="New HTTP monitor">
        <label>
          Name{' '}
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          URL{' '}
          <input
            required
            type="url"
            value={form.url}
            onChange={(e) => setForm({ ...form, url: e.target.value })}
          />
        </label>
        <label>
          Status page component{' '}
          <input value={form.component} onChange={(e) => setForm({ ...form, component: e.target.value })} />
        </label>
        <button type="submit" disabled={create.isPending}>
          Add monitor
        </button>
        {create.isError && <p role="alert">{create.error.message}</p>}
      </form>
    </section>
  );
}

function Alerts() {
  const api = useApi();
  const client = useQueryClient();
  const q = useQuery({
    queryKey: keys.alerts,
    queryFn: () => api.call('GET', '/api/v1/admin/alerts', Alert.array()),
    refetchInterval: 30_000,
  });
  const ack = useMutation({
    mutationFn: (id: string) => api.call('POST', `/api/v1/admin/alerts/${encodeURIComponent(id)}/ack`, Alert),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.alerts }),
  });
  return (
    <section className="panel" aria-labelledby="admin-alerts">
      <h2 id="admin-alerts">Alerts</h2>
      <ul>
        {(q.data ?? []).map((a) => (
          <li key={a.id}>
            [{a.severity}] {a.summary} — {a.status}
            {a.suppressed && ' (flapping: in-app only)'}
            {a.status === 'firing' && a.ackedAt === null && (
              <button type="button" onClick={() => ack.mutate(a.id)}>
                Acknowledge
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Incidents() {
  const api = useApi();
  const client = useQueryClient();
  const q = useQuery({
    queryKey: keys.incidents,
    queryFn: () => api.call('GET', '/api/v1/admin/incidents', Incident.array()),
  });
  const [title, setTitle] = useState('');
  const [message, setMessage] = useState('');
  const post = useMutation({
    mutationFn: () => api.call('POST', '/api/v1/admin/incidents', Incident, { title, message }),
    onSuccess: () => {
      setTitle('');
      setMessage('');
      void client.invalidateQueries({ queryKey: keys.incidents });
    },
  });
  const resolve = useMutation({
    mutationFn: (id: string) =>
      api.call('POST', `/api/v1/admin/incidents/${encodeURIComponent(id)}/resolve`, Incident, {}),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.incidents }),
  });
  return (
    <section className="panel" aria-labelledby="admin-incidents">
      <h2 id="admin-incidents">Incidents</h2>
      <p className="muted">
        Shown publicly at <a href="/status">/status</a>.
      </p>
      <ul>
        {(q.data ?? []).map((i) => (
          <li key={i.id}>
            {i.title} — {i.status}
            {i.status !== 'resolved' && (
              <button type="button" onClick={() => resolve.mutate(i.id)}>
                Resolve
              </button>
            )}
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          post.mutate();
        }}
        aria-label="New incident"
      >
        <label>
          Title <input required value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>
          First update <input required value={message} onChange={(e) => setMessage(e.target.value)} />
        </label>
        <button type="submit">Post incident</button>
      </form>
    </section>
  );
}

function Errors() {
  const api = useApi();
  const q = useQuery({
    queryKey: ['admin', 'errors'],
    queryFn: () => api.call('GET', '/api/v1/admin/errors', ErrorGroup.array()),
  });
  return (
    <section className="panel" aria-labelledby="admin-errors">
      <h2 id="admin-errors">Error groups</h2>
      {(q.data ?? []).map((g) => (
        <details key={g.fingerprint}>
          <summary>
            {g.source} · {g.type}: {g.message} · ×{g.count} · last {g.lastSeen}
          </summary>
          <pre>{g.mappedStack ?? g.stack}</pre>
        </details>
      ))}
    </section>
  );
}

function Vitals() {
  const api = useApi();
  const q = useQuery({
    queryKey: ['admin', 'vitals'],
    queryFn: () => api.call('GET', '/api/v1/admin/vitals', VitalsSummary),
  });
  return (
    <section className="panel" aria-labelledby="admin-vitals">
      <h2 id="admin-vitals">Web vitals (p75, 7 days)</h2>
      <table>
        <thead>
          <tr>
            <th>Page</th>
            <th>Metric</th>
            <th>p75</th>
            <th>Samples</th>
          </tr>
        </thead>
        <tbody>
          {(q.data ?? []).map((v) => (
            <tr key={`${v.route} ${v.name}`}>
              <td>{v.route}</td>
              <td>{v.name}</td>
              <td>{v.name === 'CLS' ? v.p75.toFixed(3) : `${Math.round(v.p75)} ms`}</td>
              <td>{v.samples}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Firewall() {
  const api = useApi();
  const q = useQuery({
    queryKey: ['admin', 'firewall'],
    queryFn: () => api.call('GET', '/api/v1/admin/firewall/events', z.array(FirewallEventView)),
  });
  return (
    <section className="panel" aria-labelledby="admin-firewall">
      <h2 id="admin-firewall">Firewall events</h2>
      <ul>
        {(q.data ?? []).slice(0, 50).map((e) => (
          <li key={`${e.requestId}-${e.at}`}>
            {e.at} {e.action} {e.method} {e.path} from {e.ip} (score {e.score}; {e.rules?.join(', ')})
          </li>
        ))}
      </ul>
    </section>
  );
}

function Diagnostics() {
  const storage = typeof window === 'undefined' ? null : window.localStorage;
  const [on, setOn] = useState(() => telemetryConsent(storage, navigator));
  return (
    <section className="panel" aria-labelledby="admin-diagnostics">
      <h2 id="admin-diagnostics">This browser</h2>
      <label>
        <input
          type="checkbox"
          checked={on}
          onChange={(e) => {
            setTelemetryConsent(storage, e.target.checked);
            setOn(e.target.checked);
          }}
        />
        Send errors and web vitals from this browser to this Pulse server
      </label>
    </section>
  );
}

/** The operations console: owners and admins only. */
export function AdminPage({ me }: { me: Me }) {
  if (me.role !== 'owner' && me.role !== 'admin')
    return <p>Only owners and admins can see the operations console.</p>;
  return (
    <div className="settings-list">
      <Health />
      <Alerts />
      <Monitors />
      <Incidents />
      <Errors />
      <Vitals />
      <UsageSection />
      <Firewall />
      <Diagnostics />
    </div>
  );
}

import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Channel, Delivery, QuietHours } from '../../../contracts/notify.js';
import { TextField } from '../../ui/text-field.js';
import { SelectField } from '../trading/select-field.js';
import { deliveryDetail, DeliveryBadge } from './alerts-tab.js';
import {
  base64UrlToBytes,
  channelBody,
  channelFields,
  CHANNEL_TYPES,
  channelTypeLabel,
  emptyChannelDraft,
  type ChannelDraft,
  type ChannelField,
} from './channel-form.js';
import { useChannelActions, useChannels, useQuietHours, useVapidKey } from './use-signals.js';

const FIELD_LABELS: Record<ChannelField, (type: ChannelDraft['type']) => string> = {
  name: () => 'Channel name',
  to: (type) => (type === 'email' ? 'Send to (blank: your account e-mail)' : 'To (phone)'),
  url: (type) => (type === 'sms' ? 'Messages URL' : type === 'slack' ? 'Slack webhook URL' : 'Webhook URL'),
  username: () => 'Account SID (username)',
  password: () => 'Auth token (password)',
  from: () => 'From (phone)',
};

/** Notification channels: list, test-send, rename, enable, delete, add; web push; quiet hours. */
export function ChannelsTab() {
  return (
    <div className="signals-layout signals-layout-wide-first">
      <ChannelList />
      <div className="signals-stack">
        <AddChannel />
        <WebPush />
        <QuietHoursForm />
      </div>
    </div>
  );
}

function ChannelList() {
  const channels = useChannels();
  const { update, remove, test } = useChannelActions();
  const [results, setResults] = useState<Record<string, Delivery | string>>({});
  const [testing, setTesting] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const rows = channels.data ?? [];

  const runTest = (c: Channel) => {
    setTesting(c.id);
    test.mutate(c.id, {
      onSuccess: (d) => setResults((r) => ({ ...r, [c.id]: d })),
      onError: (e) => setResults((r) => ({ ...r, [c.id]: e.message })),
      onSettled: () => setTesting(null),
    });
  };

  return (
    <section className="panel" aria-labelledby="channels-title">
      <h2 id="channels-title">Notification channels</h2>
      {channels.isError ? <p className="alert">{channels.error.message}</p> : null}
      {update.error === null && remove.error === null ? null : (
        <p className="alert" role="alert">
          {(update.error ?? remove.error)?.message}
        </p>
      )}
      {channels.isSuccess && rows.length === 0 ? <p className="muted">No channels yet: add one.</p> : null}
      {rows.length === 0 ? null : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Channels</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Target</th>
                <th scope="col">Enabled</th>
                <th scope="col">Test</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => {
                const result = results[c.id];
                return (
                  <tr key={c.id} data-testid={`channel-${c.name}`}>
                    <th scope="row">
                      {renaming === c.id ? (
                        <RenameForm
                          channel={c}
                          onDone={(name) => {
                            if (name !== null) update.mutate({ id: c.id, body: { name } });
                            setRenaming(null);
                          }}
                        />
                      ) : (
                        c.name
                      )}
                    </th>
                    <td>{channelTypeLabel(c.type)}</td>
                    <td className="target-cell">{c.target}</td>
                    <td>
                      <input
                        type="checkbox"
                        checked={c.enabled}
                        aria-label={`Enabled: ${c.name}`}
                        onChange={(e) => update.mutate({ id: c.id, body: { enabled: e.target.checked } })}
                      />
                    </td>
                    <td>
                      <div className="test-cell">
                        <button
                          type="button"
                          className="button"
                          aria-label={`Send a test to ${c.name}`}
                          disabled={testing === c.id}
                          onClick={() => runTest(c)}
                        >
                          {testing === c.id ? 'Sending…' : 'Test'}
                        </button>
                        <span role="status" data-testid="test-result">
                          {result === undefined ? null : typeof result === 'string' ? (
                            <span className="down">{result}</span>
                          ) : (
                            <>
                              <DeliveryBadge delivery={result} />{' '}
                              {result.status === 'delivered' ? null : (
                                <span className="muted">{deliveryDetail(result)}</span>
                              )}
                            </>
                          )}
                        </span>
                      </div>
                    </td>
                    <td>
                      {confirming === c.id ? (
                        <div className="confirm" role="group" aria-label={`Confirm deleting ${c.name}`}>
                          <button
                            type="button"
                            className="button button-danger"
                            onClick={() => remove.mutate(c.id, { onSettled: () => setConfirming(null) })}
                          >
                            Delete
                          </button>
                          <button type="button" className="button" onClick={() => setConfirming(null)}>
                            Keep
                          </button>
                        </div>
                      ) : (
                        <div className="row-actions">
                          <button
                            type="button"
                            className="button"
                            aria-label={`Rename ${c.name}`}
                            onClick={() => setRenaming(c.id)}
                          >
                            Rename
                          </button>
                          <button
                            type="button"
                            className="button"
                            aria-label={`Delete ${c.name}`}
                            onClick={() => setConfirming(c.id)}
                          >
                            Delete
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RenameForm({ channel, onDone }: { channel: Channel; onDone: (name: string | null) => void }) {
  const [name, setName] = useState(channel.name);
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        onDone(name.trim() === '' || name.trim() === channel.name ? null : name.trim());
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone(null);
      }}
    >
      <input
        aria-label={`New name for ${channel.name}`}
        value={name}
        maxLength={64}
        // The user asked to rename: the field takes the focus.
        autoFocus
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" className="button">
        Save
      </button>
    </form>
  );
}

function AddChannel() {
  const [chosen, setDraft] = useState<ChannelDraft>(emptyChannelDraft);
  const [errors, setErrors] = useState<Partial<Record<ChannelField, string>>>({});
  const [secret, setSecret] = useState<string | null>(null);
  const { create } = useChannelActions();
  const channels = useChannels();
  // One in-app channel per account: offer the type only while there is none.
  const hasInApp = channels.data?.some((c) => c.type === 'in_app') ?? true;
  const types = CHANNEL_TYPES.filter((t) => t.value !== 'in_app' || !hasInApp);
  const draft: ChannelDraft = types.some((t) => t.value === chosen.type)
    ? chosen
    : { ...chosen, type: types[0]?.value ?? 'email' };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const mapped = channelBody(draft);
    if (!mapped.ok) {
      setErrors(mapped.errors);
      return;
    }
    setErrors({});
    create.mutate(mapped.body, {
      onSuccess: (created) => {
        setSecret(created.secret ?? null);
        setDraft({ ...emptyChannelDraft(), type: draft.type });
      },
    });
  };

  return (
    <section className="panel" aria-labelledby="add-channel-title">
      <h2 id="add-channel-title">Add a channel</h2>
      <form onSubmit={submit} noValidate>
        <SelectField
          label="Type"
          value={draft.type}
          options={types}
          onChange={(e) => {
            setErrors({});
            setDraft({ ...draft, type: e.target.value as ChannelDraft['type'] });
          }}
        />
        {channelFields(draft.type).map((f) => (
          <TextField
            key={f}
            label={FIELD_LABELS[f](draft.type)}
            type={
              f === 'password'
                ? 'password'
                : f === 'url'
                  ? 'url'
                  : f === 'to' && draft.type === 'email'
                    ? 'email'
                    : 'text'
            }
            autoComplete={f === 'password' ? 'new-password' : 'off'}
            value={draft[f]}
            error={errors[f] ?? null}
            onChange={(e) => setDraft({ ...draft, [f]: e.target.value })}
          />
        ))}
        {create.error === null ? null : (
          <p className="alert" role="alert">
            {create.error.message}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add channel'}
        </button>
      </form>
      {secret === null ? null : (
        <div className="notice secret" role="status">
          <p>
            This webhook’s signing secret is shown only now: copy it to verify the{' '}
            <code>x-pulse-signature</code> of each request.
          </p>
          <code data-testid="webhook-secret">{secret}</code>
        </div>
      )}
    </section>
  );
}

type PushState = 'unsupported' | 'idle' | 'working' | 'subscribed' | 'error';

function WebPush() {
  const getKey = useVapidKey();
  const { create } = useChannelActions();
  const supported =
    typeof navigator !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window;
  const [state, setState] = useState<PushState>(supported ? 'idle' : 'unsupported');
  const [message, setMessage] = useState('');

  const subscribe = async () => {
    setState('working');
    setMessage('');
    try {
      const { publicKey } = await getKey();
      const permission = await Notification.requestPermission();
      if (permission !== 'granted')
        throw new Error('Notifications are blocked for this site in the browser.');
      const registration = await Promise.race([
        navigator.serviceWorker.ready,
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error('The service worker is not running (reload the app once).')),
            10_000,
          ),
        ),
      ]);
      const existing = await registration.pushManager.getSubscription();
      const subscription =
        existing ??
        (await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: base64UrlToBytes(publicKey),
        }));
      const json = subscription.toJSON();
      await create.mutateAsync({
        type: 'web_push',
        name: `Web push (${navigator.userAgent.includes('Mobile') ? 'phone' : 'this browser'})`,
        subscription: {
          endpoint: json.endpoint ?? subscription.endpoint,
          expirationTime: json.expirationTime ?? null,
          keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
        },
      });
      setState('subscribed');
      setMessage('This browser now receives push notifications.');
    } catch (error) {
      setState('error');
      setMessage(error instanceof Error ? error.message : 'Could not subscribe.');
    }
  };

  return (
    <section className="panel" aria-labelledby="push-title">
      <h2 id="push-title">Web push</h2>
      {state === 'unsupported' ? (
        <p className="muted">This browser cannot receive web push.</p>
      ) : (
        <>
          <p className="muted">Get notifications on this device even when Pulse is closed.</p>
          <button
            type="button"
            className="button"
            disabled={state === 'working'}
            onClick={() => void subscribe()}
          >
            {state === 'working' ? 'Subscribing…' : 'Subscribe this browser'}
          </button>
        </>
      )}
      <p role="status" className={state === 'error' ? 'down' : undefined}>
        {message}
      </p>
    </section>
  );
}

const ZONES = (() => {
  try {
    return (
      (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ??
      []
    );
  } catch {
    return [];
  }
})();

function QuietHoursForm() {
  const hours = useQuietHours();
  const { setQuietHours } = useChannelActions();
  const [draft, setDraft] = useState<QuietHours | null>(null);
  const [saved, setSaved] = useState('');
  const ids = { start: useId(), end: useId(), zone: useId(), zones: useId() };
  useEffect(() => {
    if (hours.data !== undefined && draft === null) setDraft(hours.data);
  }, [hours.data, draft]);

  if (draft === null)
    return (
      <section className="panel" aria-labelledby="quiet-title">
        <h2 id="quiet-title">Quiet hours</h2>
        {hours.isError ? <p className="alert">{hours.error.message}</p> : <p className="muted">Loading…</p>}
      </section>
    );

  return (
    <section className="panel" aria-labelledby="quiet-title">
      <h2 id="quiet-title">Quiet hours</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSaved('');
          setQuietHours.mutate(draft, { onSuccess: () => setSaved('Quiet hours saved.') });
        }}
      >
        <label className="check">
          <input
            type="checkbox"
            checked={draft.enabled}
            onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })}
          />
          Hold non-urgent notifications during quiet hours
        </label>
        <div className="ticket-row">
          <div className="field">
            <label htmlFor={ids.start}>From</label>
            <input
              id={ids.start}
              type="time"
              value={draft.start}
              onChange={(e) => setDraft({ ...draft, start: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.end}>Until</label>
            <input
              id={ids.end}
              type="time"
              value={draft.end}
              onChange={(e) => setDraft({ ...draft, end: e.target.value })}
            />
          </div>
        </div>
        <div className="field">
          <label htmlFor={ids.zone}>Time zone</label>
          <input
            id={ids.zone}
            list={ids.zones}
            value={draft.timeZone}
            onChange={(e) => setDraft({ ...draft, timeZone: e.target.value })}
          />
          <datalist id={ids.zones}>
            {ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </div>
        {setQuietHours.error === null ? null : (
          <p className="alert" role="alert">
            {setQuietHours.error.message}
          </p>
        )}
        <button type="submit" className="button" disabled={setQuietHours.isPending}>
          Save quiet hours
        </button>
        <p role="status">{saved}</p>
      </form>
    </section>
  );
}

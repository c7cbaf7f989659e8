import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { Signal } from '../../../contracts/signals.js';
import { isApiError } from '../../api/api-error.js';
import { TextField } from '../../ui/text-field.js';
import { ChoiceGroup } from '../trading/choice-group.js';
import { SelectField } from '../trading/select-field.js';
import { checkRuleText } from './rule-check.js';
import { FunctionHelp, RuleEditor } from './rule-editor.js';
import {
  changedFields,
  draftFromSignal,
  draftToBody,
  emptyDraft,
  FIRING_MODES,
  parseSymbols,
  TIMEFRAMES,
  type DraftField,
  type SignalDraft,
} from './signal-form.js';
import { SignalPreview } from './signal-preview.js';
import { useChannels, useSignalActions } from './use-signals.js';

/** Props of {@link SignalEditor}. */
export interface SignalEditorProps {
  /** The signal to edit, or null for a new one. */
  signal: Signal | null;
  /** Called after saving (with the saved signal) or on cancel (with null). */
  onDone: (saved: Signal | null) => void;
}

/** The signal editor: rule with live checking, symbols, timeframe, trigger policy, actions, and the preview. */
export function SignalEditor({ signal, onDone }: SignalEditorProps) {
  const [draft, setDraft] = useState<SignalDraft>(() =>
    signal === null ? emptyDraft() : draftFromSignal(signal),
  );
  const [errors, setErrors] = useState<Partial<Record<DraftField, string>>>({});
  const channels = useChannels();
  const { create, update } = useSignalActions();
  const heading = useRef<HTMLHeadingElement>(null);
  const formId = useId();
  const source = useDeferredValue(draft.source);
  const verdict = useMemo(() => checkRuleText(source, draft.timeframe), [source, draft.timeframe]);
  const firstSymbol = parseSymbols(draft.symbols)[0] ?? null;
  const cooldown = Number(draft.cooldownBars);
  const saving = create.isPending || update.isPending;
  const failure = create.error ?? update.error;

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const set = <K extends keyof SignalDraft>(key: K, value: SignalDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const mapped = draftToBody(draft);
    const ruleProblem = checkRuleText(draft.source, draft.timeframe);
    if (!mapped.ok || !ruleProblem.ok) {
      setErrors(mapped.ok ? {} : mapped.errors);
      return;
    }
    setErrors({});
    const options = { onSuccess: (saved: Signal) => onDone(saved) };
    if (signal === null) {
      create.mutate(mapped.body, options);
      return;
    }
    const patch = changedFields(signal, mapped.body);
    if (patch === null) onDone(signal);
    else update.mutate({ id: signal.id, body: patch }, options);
  };

  return (
    <section className="panel signal-editor" aria-labelledby={`${formId}-title`}>
      <h2 id={`${formId}-title`} ref={heading} tabIndex={-1}>
        {signal === null ? 'New signal' : `Edit ${signal.name}`}
      </h2>
      <form onSubmit={submit} noValidate>
        <div className="signal-editor-grid">
          <div>
            <TextField
              label="Name"
              value={draft.name}
              maxLength={80}
              error={errors.name ?? null}
              onChange={(e) => set('name', e.target.value)}
            />
            <RuleEditor
              label="Rule"
              value={draft.source}
              verdict={verdict}
              hint="A condition over bar fields and indicators, e.g. rsi(close, 14) < 30 and close > sma(close, 200). # starts a comment."
              onChange={(v) => set('source', v)}
            />
            <FunctionHelp
              onInsert={(text) => set('source', `${draft.source.trimEnd()} ${text}`.trimStart())}
            />
            <div className="ticket-row">
              <TextField
                label="Symbols"
                value={draft.symbols}
                hint="Comma-separated; the preview uses the first."
                error={errors.symbols ?? null}
                autoCapitalize="characters"
                onChange={(e) => set('symbols', e.target.value)}
              />
              <SelectField
                label="Timeframe"
                value={draft.timeframe}
                options={(TIMEFRAMES.includes(draft.timeframe as (typeof TIMEFRAMES)[number])
                  ? TIMEFRAMES
                  : [draft.timeframe, ...TIMEFRAMES]
                ).map((t) => ({ value: t, label: t }))}
                error={errors.timeframe}
                onChange={(e) => set('timeframe', e.target.value)}
              />
            </div>
            <div className="ticket-row">
              <SelectField
                label="Fires"
                value={draft.mode}
                options={FIRING_MODES}
                onChange={(e) => set('mode', e.target.value as SignalDraft['mode'])}
              />
              <TextField
                label="Cooldown (bars)"
                inputMode="numeric"
                value={draft.cooldownBars}
                error={errors.cooldownBars ?? null}
                onChange={(e) => set('cooldownBars', e.target.value)}
              />
            </div>
            <TextField
              label="Expires"
              type="datetime-local"
              value={draft.expiresAt}
              hint="Leave empty to keep the signal until you disable it."
              error={errors.expiresAt ?? null}
              onChange={(e) => set('expiresAt', e.target.value)}
            />
            <label className="check">
              <input
                type="checkbox"
                checked={draft.enabled}
                onChange={(e) => set('enabled', e.target.checked)}
              />
              Enabled
            </label>
            <fieldset className="ticket-legs">
              <legend>Notify</legend>
              {channels.isSuccess && channels.data.length === 0 ? (
                <p className="muted">
                  No channels yet: add one under Channels. Firings are always kept in the alert history.
                </p>
              ) : null}
              {(channels.data ?? []).map((c) => (
                <label key={c.id} className="check">
                  <input
                    type="checkbox"
                    checked={draft.notify.includes(c.id)}
                    onChange={(e) =>
                      set(
                        'notify',
                        e.target.checked ? [...draft.notify, c.id] : draft.notify.filter((id) => id !== c.id),
                      )
                    }
                  />
                  {c.name} <span className="muted">({c.target})</span>
                </label>
              ))}
            </fieldset>
            <fieldset className="ticket-legs">
              <legend>Order</legend>
              <label className="check">
                <input
                  type="checkbox"
                  checked={draft.order}
                  onChange={(e) => set('order', e.target.checked)}
                />
                Place a paper market order when it fires
              </label>
              {draft.order ? (
                <div className="ticket-row">
                  <ChoiceGroup
                    legend="Side"
                    name={`${formId}-side`}
                    value={draft.orderSide}
                    options={[
                      { value: 'buy', label: 'Buy' },
                      { value: 'sell', label: 'Sell' },
                    ]}
                    onChange={(v) => set('orderSide', v)}
                  />
                  <TextField
                    label="Order quantity"
                    inputMode="decimal"
                    value={draft.orderQty}
                    error={errors.orderQty ?? null}
                    onChange={(e) => set('orderQty', e.target.value)}
                  />
                </div>
              ) : null}
            </fieldset>
          </div>
          <SignalPreview
            symbol={firstSymbol}
            timeframe={draft.timeframe}
            source={verdict.ok ? source : null}
            warmup={verdict.ok ? verdict.warmup : 0}
            mode={draft.mode}
            cooldownBars={Number.isInteger(cooldown) && cooldown >= 0 ? cooldown : 0}
          />
        </div>
        {failure === null ? null : (
          <p className="alert" role="alert">
            {isApiError(failure, 'SIGNALS_RULE_INVALID', 'SIGNALS_RULE_TOO_COMPLEX')
              ? `The server refused the rule: ${failure.message}`
              : failure.message}
          </p>
        )}
        <div className="ticket-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : signal === null ? 'Create signal' : 'Save signal'}
          </button>
          <button type="button" className="button" onClick={() => onDone(null)}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

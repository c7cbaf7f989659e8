import {
  CreateSignalBody,
  type CreateSignalBody as CreateSignalBodyType,
  type Signal,
  type UpdateSignalBody as UpdateSignalBodyType,
} from '../../../contracts/signals.js';

/** Firing modes as the editor names them. */
export const FIRING_MODES = [
  { value: 'once_per_bar', label: 'Each time it becomes true' },
  { value: 'every_time', label: 'Every bar it is true' },
  { value: 'once', label: 'Once, then stop' },
] as const;

/** Timeframes the editor offers. */
export const TIMEFRAMES = ['1Min', '5Min', '15Min', '30Min', '1Hour', '4Hour', '1Day', '1Week'] as const;

/** The signal editor's fields, as text the user types. */
export interface SignalDraft {
  name: string;
  source: string;
  symbols: string;
  timeframe: string;
  mode: 'once' | 'once_per_bar' | 'every_time';
  cooldownBars: string;
  /** `YYYY-MM-DDTHH:mm` local time (a datetime-local input), or '' for never. */
  expiresAt: string;
  notify: string[];
  order: boolean;
  orderSide: 'buy' | 'sell';
  orderQty: string;
  enabled: boolean;
}

/** Fields a draft can be wrong in. */
export type DraftField =
  'name' | 'source' | 'symbols' | 'timeframe' | 'cooldownBars' | 'expiresAt' | 'orderQty';

/** A new signal's starting point. */
export function emptyDraft(): SignalDraft {
  return {
    name: '',
    source: 'close crosses_above sma(close, 20)',
    symbols: 'AAPL',
    timeframe: '1Min',
    mode: 'once_per_bar',
    cooldownBars: '0',
    expiresAt: '',
    notify: [],
    order: false,
    orderSide: 'buy',
    orderQty: '1',
    enabled: true,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as a datetime-local value in this browser's time zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A signal as an editable draft. */
export function draftFromSignal(s: Signal): SignalDraft {
  return {
    name: s.name,
    source: s.source,
    symbols: s.symbols.join(', '),
    timeframe: s.timeframe,
    mode: s.mode,
    cooldownBars: String(s.cooldownBars),
    expiresAt: s.expiresAt === null ? '' : toLocalInput(s.expiresAt),
    notify: [...s.actions.notify],
    order: s.actions.order !== null,
    orderSide: s.actions.order?.side ?? 'buy',
    orderQty: s.actions.order?.qty ?? '1',
    enabled: s.enabled,
  };
}

/** Symbols typed as `aapl, msft spy` → `['AAPL', 'MSFT', 'SPY']` (deduplicated, in order). */
export function parseSymbols(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    const s = part.trim().toUpperCase();
    if (s !== '' && !out.includes(s)) out.push(s);
  }
  return out;
}

const FIELD_OF: Record<string, DraftField> = {
  name: 'name',
  source: 'source',
  symbols: 'symbols',
  timeframe: 'timeframe',
  cooldownBars: 'cooldownBars',
  expiresAt: 'expiresAt',
  actions: 'orderQty',
};

/**
 * The create body for a draft, checked with the API's own schema; or the message for each field
 * that is wrong. The rule's syntax is checked separately (live, as the user types).
 */
export function draftToBody(
  d: SignalDraft,
): { ok: true; body: CreateSignalBodyType } | { ok: false; errors: Partial<Record<DraftField, string>> } {
  const errors: Partial<Record<DraftField, string>> = {};
  const cooldown = d.cooldownBars.trim() === '' ? 0 : Number(d.cooldownBars);
  if (!Number.isInteger(cooldown) || cooldown < 0) errors.cooldownBars = 'a whole number of bars, 0 or more';
  let expiresAt: string | null = null;
  if (d.expiresAt.trim() !== '') {
    const t = new Date(d.expiresAt);
    if (Number.isNaN(t.getTime())) errors.expiresAt = 'a date and time';
    else expiresAt = t.toISOString();
  }
  const symbols = parseSymbols(d.symbols);
  if (symbols.length === 0) errors.symbols = 'at least one symbol, such as AAPL';
  const parsed = CreateSignalBody.safeParse({
    name: d.name,
    source: d.source,
    symbols,
    timeframe: d.timeframe,
    mode: d.mode,
    cooldownBars: Number.isInteger(cooldown) ? cooldown : 0,
    expiresAt,
    actions: {
      notify: d.notify,
      order: d.order ? { side: d.orderSide, qty: d.orderQty.trim() } : null,
    },
    enabled: d.enabled,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = FIELD_OF[String(issue.path[0])];
      if (field !== undefined && errors[field] === undefined) {
        errors[field] =
          field === 'name' && d.name.trim() === ''
            ? 'give the signal a name'
            : field === 'orderQty'
              ? 'a positive quantity such as 1 or 0.5'
              : field === 'symbols'
                ? `not a ticker symbol: ${symbols[Number(issue.path[1])] ?? ''}`.trim()
                : issue.message;
      }
    }
  }
  if (d.order && !/^\d+(\.\d+)?$/.test(d.orderQty.trim()) && errors.orderQty === undefined)
    errors.orderQty = 'a positive quantity such as 1 or 0.5';
  if (d.order && Number(d.orderQty) <= 0) errors.orderQty = 'a positive quantity such as 1 or 0.5';
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, body: parsed.data };
}

/** How a signal's trigger policy reads in the list: `Each time it becomes true · cooldown 5 bars`. */
export function describePolicy(s: Pick<Signal, 'mode' | 'cooldownBars' | 'expiresAt'>): string {
  const mode = FIRING_MODES.find((m) => m.value === s.mode)?.label ?? s.mode;
  const parts: string[] = [mode];
  if (s.cooldownBars > 0) parts.push(`cooldown ${s.cooldownBars} bar${s.cooldownBars === 1 ? '' : 's'}`);
  if (s.expiresAt !== null) parts.push(`until ${new Date(s.expiresAt).toLocaleString()}`);
  return parts.join(' · ');
}

/**
 * The PATCH body for an edit: only the fields that differ from the stored signal, because a sent
 * rule, symbol list, timeframe or policy restarts the signal's firing state on the server even when
 * unchanged. Null when nothing changed.
 */
export function changedFields(signal: Signal, body: CreateSignalBodyType): UpdateSignalBodyType | null {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const sameInstant = (a: string | null, b: string | null) =>
    a === null || b === null ? a === b : Date.parse(a) === Date.parse(b);
  const patch: UpdateSignalBodyType = {
    ...(body.name !== signal.name && { name: body.name }),
    ...(body.source !== signal.source && { source: body.source }),
    ...(!same(body.symbols, signal.symbols) && { symbols: body.symbols }),
    ...(body.timeframe !== signal.timeframe && { timeframe: body.timeframe }),
    ...(body.mode !== signal.mode && { mode: body.mode }),
    ...(body.cooldownBars !== signal.cooldownBars && { cooldownBars: body.cooldownBars }),
    ...(!sameInstant(body.expiresAt, signal.expiresAt) && { expiresAt: body.expiresAt }),
    ...(!same(body.actions, signal.actions) && { actions: body.actions }),
    ...(body.enabled !== signal.enabled && { enabled: body.enabled }),
  };
  return Object.keys(patch).length === 0 ? null : patch;
}

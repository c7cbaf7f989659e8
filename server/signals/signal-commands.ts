import crypto from 'node:crypto';
import { type BarHistory, bucketStart, parseTimeframe } from '../../core/market-data/index.js';
import {
  checkRule,
  compileRule,
  firingPolicy,
  type RuleError,
  signalFirings,
} from '../../core/signals/index.js';
import type { CreateSignalBody, PreviewBody, UpdateSignalBody } from '../../contracts/signals.js';
import { AppError } from '../errors.js';
import type { LiveSignals } from './live-signals.js';
import { recentBars } from './recent-bars.js';
import type { FiringRecord, SignalPatch, SignalRecord, SignalStore } from './signal-store.js';

/** At most this many signals per user. */
export const MAX_SIGNALS = 500;

/** What the signal commands need. */
export interface SignalDeps {
  readonly signals: SignalStore;
  readonly live: Pick<LiveSignals, 'upsert' | 'remove'>;
  readonly history: BarHistory;
  readonly isKnownSymbol: (symbol: string) => boolean;
}

/** A rule that does not check: carries every problem with line and column (the route answers 422). */
export class RuleInvalidError extends AppError {
  constructor(readonly errors: readonly RuleError[]) {
    const first = errors[0];
    super(
      first?.code ?? 'SIGNALS_RULE_INVALID',
      first ? `${first.line}:${first.column}: ${first.message}` : 'invalid rule',
      { errors },
    );
  }
}

function checkTimeframe(text: string): void {
  if (!parseTimeframe(text))
    throw new AppError(
      'REQUEST_VALIDATION_FAILED',
      `body.timeframe: ${text} is not a timeframe such as 1Min or 1Hour`,
    );
}

function checkSource(source: string, timeframe: string): void {
  checkTimeframe(timeframe);
  const checked = checkRule(source, { timeframe });
  if (!checked.ok) throw new RuleInvalidError(checked.errors);
}

function checkSymbols(symbols: readonly string[], deps: SignalDeps): string[] {
  const unique = [...new Set(symbols)];
  const unknown = unique.find((s) => !deps.isKnownSymbol(s));
  if (unknown !== undefined)
    throw new AppError('MARKET_UNKNOWN_SYMBOL', `No instrument has the symbol ${unknown}`);
  return unique;
}

const notFound = () => new AppError('SIGNALS_NOT_FOUND', 'No signal of yours has this id.');

/** Creates a signal and starts evaluating it at the next bar close. */
export async function createSignal(
  input: CreateSignalBody & { userId: string },
  deps: SignalDeps,
): Promise<SignalRecord> {
  checkSource(input.source, input.timeframe);
  if ((await deps.signals.count(input.userId)) >= MAX_SIGNALS)
    throw new AppError('SIGNALS_LIMIT_REACHED', `You may keep at most ${MAX_SIGNALS} signals.`);
  const now = new Date();
  const record: SignalRecord = {
    id: crypto.randomUUID(),
    userId: input.userId,
    name: input.name,
    source: input.source,
    symbols: checkSymbols(input.symbols, deps),
    timeframe: input.timeframe,
    mode: input.mode,
    cooldownBars: input.cooldownBars,
    expiresAt: input.expiresAt === null ? null : Date.parse(input.expiresAt),
    actions: input.actions,
    enabled: input.enabled,
    createdAt: now,
    updatedAt: now,
  };
  await deps.signals.insert(record);
  await deps.live.upsert(record);
  return record;
}

/** The signal, or SIGNALS_NOT_FOUND (also for another user's id). */
export async function getSignal(
  input: { userId: string; id: string },
  deps: SignalDeps,
): Promise<SignalRecord> {
  return (await deps.signals.get(input.userId, input.id)) ?? Promise.reject(notFound());
}

/** Edits a signal; a new rule, symbols, timeframe or policy restarts its firing state. */
export async function updateSignal(
  input: UpdateSignalBody & { userId: string; id: string },
  deps: SignalDeps,
): Promise<SignalRecord> {
  const current = await getSignal(input, deps);
  const timeframe = input.timeframe ?? current.timeframe;
  if (input.source !== undefined || input.timeframe !== undefined)
    checkSource(input.source ?? current.source, timeframe);
  const patch: SignalPatch = {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.source !== undefined && { source: input.source }),
    ...(input.symbols !== undefined && { symbols: checkSymbols(input.symbols, deps) }),
    ...(input.timeframe !== undefined && { timeframe: input.timeframe }),
    ...(input.mode !== undefined && { mode: input.mode }),
    ...(input.cooldownBars !== undefined && { cooldownBars: input.cooldownBars }),
    ...(input.expiresAt !== undefined && {
      expiresAt: input.expiresAt === null ? null : Date.parse(input.expiresAt),
    }),
    ...(input.actions !== undefined && { actions: input.actions }),
    ...(input.enabled !== undefined && { enabled: input.enabled }),
  };
  const reset = ['source', 'symbols', 'timeframe', 'mode', 'cooldownBars'].some((k) => k in patch);
  const updated = await deps.signals.update(input.userId, input.id, patch, reset);
  if (!updated) throw notFound();
  await deps.live.upsert(updated);
  return updated;
}

/** Deletes a signal and its firings. */
export async function deleteSignal(input: { userId: string; id: string }, deps: SignalDeps): Promise<void> {
  if (!(await deps.signals.delete(input.userId, input.id))) throw notFound();
  await deps.live.remove(input.id);
}

/** The signal's firings, newest first. */
export async function listFirings(
  input: { userId: string; id: string; limit: number; before?: number },
  deps: SignalDeps,
): Promise<FiringRecord[]> {
  await getSignal(input, deps);
  return deps.signals.listFirings(input.userId, input.id, {
    limit: input.limit,
    ...(input.before !== undefined && { before: input.before }),
  });
}

/** Where a rule would have fired over the latest `bars` closed bars (after its warm-up): markers for a chart. */
export async function previewSignal(
  input: PreviewBody,
  deps: Pick<SignalDeps, 'history' | 'isKnownSymbol'>,
): Promise<{
  from: number | null;
  to: number | null;
  bars: number;
  warmup: number;
  firings: { t: number; values: Readonly<Record<string, number | null>> }[];
}> {
  checkTimeframe(input.timeframe);
  if (!deps.isKnownSymbol(input.symbol))
    throw new AppError('MARKET_UNKNOWN_SYMBOL', `No instrument has the symbol ${input.symbol}`);
  const compiled = compileRule(input.source, { timeframe: input.timeframe });
  if (!compiled.ok) throw new RuleInvalidError(compiled.errors);
  const { rule } = compiled;
  const tf = parseTimeframe(input.timeframe)!;
  // Closed bars only: the forming bucket ends at bucketStart(now).
  const end = bucketStart(deps.history.now(), tf);
  const bars = await recentBars(deps.history, input.symbol, tf, input.bars + rule.warmup, end);
  const { firings } = signalFirings(
    rule,
    firingPolicy({ mode: input.mode, cooldownBars: input.cooldownBars }),
    bars,
  );
  const shown = bars.slice(-input.bars);
  const from = shown[0]?.t ?? null;
  return {
    from,
    to: shown.at(-1)?.t ?? null,
    bars: shown.length,
    warmup: rule.warmup,
    firings: firings.filter((f) => from !== null && f.t >= from).map((f) => ({ t: f.t, values: f.values })),
  };
}

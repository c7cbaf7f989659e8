import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../contracts/signals.js';
import {
  changedFields,
  describePolicy,
  draftFromSignal,
  draftToBody,
  emptyDraft,
  parseSymbols,
} from './signal-form.js';

const signal: Signal = {
  id: '6b0c6a3e-6f7a-4a43-9d4e-0b8e3c7f0a11',
  name: 'Oversold',
  source: 'rsi(close, 14) < 30',
  symbols: ['AAPL', 'MSFT'],
  timeframe: '5Min',
  mode: 'every_time',
  cooldownBars: 3,
  expiresAt: null,
  actions: { notify: ['c1'], order: { side: 'buy', qty: '2' } },
  enabled: false,
  createdAt: '2026-11-24T15:00:00.000Z',
  updatedAt: '2026-11-24T15:00:00.000Z',
};

describe('parseSymbols', () => {
  it('upper-cases, splits on commas, spaces and semicolons, and drops repeats', () => {
    expect(parseSymbols(' aapl, msft  spy;aapl ,')).toEqual(['AAPL', 'MSFT', 'SPY']);
    expect(parseSymbols('  ')).toEqual([]);
  });
});

describe('draftToBody', () => {
  it('maps a draft to the create body the API takes', () => {
    const result = draftToBody({ ...emptyDraft(), name: ' Cross ', symbols: 'aapl msft', cooldownBars: '2' });
    expect(result).toEqual({
      ok: true,
      body: {
        name: 'Cross',
        source: 'close crosses_above sma(close, 20)',
        symbols: ['AAPL', 'MSFT'],
        timeframe: '1Min',
        mode: 'once_per_bar',
        cooldownBars: 2,
        expiresAt: null,
        actions: { notify: [], order: null },
        enabled: true,
      },
    });
  });

  it('includes an order action and an expiry when asked', () => {
    const result = draftToBody({
      ...emptyDraft(),
      name: 'Buy dip',
      order: true,
      orderSide: 'sell',
      orderQty: '0.5',
      notify: ['a', 'b'],
      expiresAt: '2026-12-01T09:30',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body.actions).toEqual({ notify: ['a', 'b'], order: { side: 'sell', qty: '0.5' } });
    expect(result.body.expiresAt).toBe(new Date('2026-12-01T09:30').toISOString());
  });

  it('names each wrong field', () => {
    const result = draftToBody({
      ...emptyDraft(),
      name: '',
      symbols: 'AAPL, 123',
      cooldownBars: '-1',
      order: true,
      orderQty: '0',
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        name: 'give the signal a name',
        symbols: 'not a ticker symbol: 123',
        cooldownBars: 'a whole number of bars, 0 or more',
        orderQty: 'a positive quantity such as 1 or 0.5',
      },
    });
    expect(draftToBody({ ...emptyDraft(), name: 'x', symbols: ' ' })).toMatchObject({
      ok: false,
      errors: { symbols: 'at least one symbol, such as AAPL' },
    });
  });

  it('round-trips a stored signal through the editor', () => {
    const draft = draftFromSignal(signal);
    expect(draft).toMatchObject({ symbols: 'AAPL, MSFT', cooldownBars: '3', order: true, orderQty: '2' });
    const result = draftToBody(draft);
    expect(result.ok && result.body).toMatchObject({
      name: 'Oversold',
      symbols: ['AAPL', 'MSFT'],
      timeframe: '5Min',
      mode: 'every_time',
      cooldownBars: 3,
      actions: { notify: ['c1'], order: { side: 'buy', qty: '2' } },
      enabled: false,
    });
  });
});

describe('describePolicy', () => {
  it('reads the firing mode and cooldown', () => {
    expect(describePolicy(signal)).toBe('Every bar it is true · cooldown 3 bars');
    expect(describePolicy({ mode: 'once', cooldownBars: 1, expiresAt: null })).toBe(
      'Once, then stop · cooldown 1 bar',
    );
  });
});

describe('changedFields', () => {
  const body = () => {
    const result = draftToBody(draftFromSignal(signal));
    if (!result.ok) throw new Error('the stored signal should map');
    return result.body;
  };

  it('is null when nothing changed, so saving an untouched signal does not restart it', () => {
    expect(changedFields(signal, body())).toBeNull();
  });

  it('sends only what changed: a rename does not send the rule', () => {
    expect(changedFields(signal, { ...body(), name: 'Deeply oversold' })).toEqual({
      name: 'Deeply oversold',
    });
    expect(
      changedFields(signal, {
        ...body(),
        symbols: ['AAPL'],
        enabled: true,
        actions: { notify: ['c1'], order: null },
      }),
    ).toEqual({ symbols: ['AAPL'], enabled: true, actions: { notify: ['c1'], order: null } });
  });

  it('compares expiry instants, not their spelling', () => {
    const expiring = { ...signal, expiresAt: '2026-12-01T14:30:00.000Z' };
    expect(changedFields(expiring, { ...body(), expiresAt: '2026-12-01T14:30:00Z' })).toBeNull();
    expect(changedFields(expiring, { ...body(), expiresAt: null })).toEqual({ expiresAt: null });
  });
});

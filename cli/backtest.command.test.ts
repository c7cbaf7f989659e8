import { afterEach, describe, expect, it, vi } from 'vitest';
import { backtestCommand } from './backtest.command.js';

async function run(
  values: Record<string, string | boolean>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await backtestCommand.run(values, {}, []), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const BASE = {
  symbol: 'AAPL',
  timeframe: '1Day',
  from: '2024-01-01',
  to: '2024-06-30',
  entry: 'crossover(sma(close, 5), sma(close, 20))',
  exit: 'crossunder(sma(close, 5), sma(close, 20))',
};

afterEach(() => vi.restoreAllMocks());

describe('backtestCommand', () => {
  it('prints a JSON report whose trades fill at the next bar open after the signal when --json is given', async () => {
    const { code, stdout } = await run({
      ...BASE,
      json: true,
      'slippage-bps': '10',
      commission: '1',
      qty: '10',
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.bars).toBeGreaterThan(100);
    expect(report.trades.length).toBeGreaterThan(0);
    for (const trade of report.trades) {
      expect(trade.entryAt).toBeGreaterThan(trade.signalAt);
      expect(trade.qty).toBe('10');
    }
    const closed = report.trades.filter((t: { pnl: string | null }) => t.pnl !== null);
    expect(closed[0].commission).toBe('2');
    expect(report.metrics.closedTrades).toBe(closed.length);
    expect(typeof report.buyAndHold.totalReturn).toBe('number');
  });

  it('prints a readable report with the buy-and-hold comparison by default', async () => {
    const { code, stdout } = await run(BASE);
    expect(code).toBe(0);
    expect(stdout).toMatch(/strategy\s+buy & hold/);
    expect(stdout).toMatch(/Max drawdown/);
  });

  it('exits 1 with the rule problem at its line and column when the entry does not check', async () => {
    const { code, stderr } = await run({ ...BASE, entry: 'close > smaa(close, 5)' });
    expect(code).toBe(1);
    expect(stderr).toContain('entry rule 1:9:');
    expect(stderr).toContain('        ^^^^');
  });

  it('exits 1 naming the flag when a date or symbol is wrong', async () => {
    expect((await run({ ...BASE, from: '2024-13-01' })).stderr).toContain('--from must be a date');
    expect((await run({ ...BASE, symbol: 'NOPE' })).stderr).toContain('no symbol NOPE');
  });
});

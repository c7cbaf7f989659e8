import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomSeries } from '../core/signals/indicators/testing/fixtures.js';
import {
  firstMismatch,
  type Talib,
  talibOne,
  talibSeries,
} from '../core/signals/indicators/testing/talib-reference.js';
import { indicatorsCommand } from './indicators.command.js';

const talib = createRequire(import.meta.url)('talib') as Talib;
const dir = mkdtempSync(join(tmpdir(), 'pulse-indicators-'));

function writeInput(name: string, body: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
}

async function run(path: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await indicatorsCommand.run({ input: path }, {}, []);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function columns(n: number, seed: number) {
  const s = randomSeries(n, seed);
  return { ...s, time: s.time.map((t) => t / 1000) };
}

afterEach(() => vi.restoreAllMocks());

describe('indicatorsCommand', () => {
  it('prints every series with TA-Lib values and null during warm-up when the input is valid', async () => {
    const aapl = columns(120, 51);
    const msft = columns(20, 52);
    const { code, stdout } = await run(writeInput('ok.json', { series: { AAPL: aapl, MSFT: msft } }));
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as {
      series: Record<string, Record<string, Record<string, (number | null)[]>>>;
    };
    expect(Object.keys(out.series)).toEqual(['AAPL', 'MSFT']);
    const a = out.series.AAPL!;
    const n = aapl.close.length;
    const hlc = { high: aapl.high, low: aapl.low, close: aapl.close };
    expect(
      firstMismatch(
        a.RSI_14!.value!,
        talibOne(talib, n, { name: 'RSI', inReal: aapl.close, optInTimePeriod: 14 }),
      ),
    ).toBeNull();
    expect(
      firstMismatch(a.ADX_14!.value!, talibOne(talib, n, { name: 'ADX', ...hlc, optInTimePeriod: 14 })),
    ).toBeNull();
    expect(
      firstMismatch(
        a.MFI_14!.value!,
        talibOne(talib, n, { name: 'MFI', ...hlc, volume: aapl.volume, optInTimePeriod: 14 }),
      ),
    ).toBeNull();
    const m = talibSeries(talib, n, {
      name: 'MACD',
      inReal: aapl.close,
      optInFastPeriod: 12,
      optInSlowPeriod: 26,
      optInSignalPeriod: 9,
    });
    expect(firstMismatch(a.MACD_12_26_9!.signal!, m.outMACDSignal!)).toBeNull();
    const st = talibSeries(talib, n, {
      name: 'STOCH',
      ...hlc,
      optInFastK_Period: 14,
      optInSlowK_Period: 3,
      optInSlowK_MAType: 0,
      optInSlowD_Period: 3,
      optInSlowD_MAType: 0,
    });
    expect(firstMismatch(a.STOCH_14_3_3!.slowD!, st.outSlowD!)).toBeNull();
    expect(a.SMA_20!.value![18]).toBeNull();
    expect(out.series.MSFT!.ADX_14!.value).toEqual(Array(20).fill(null));
  });

  it('names the path and exits 1 when a column length differs', async () => {
    const bad = columns(10, 53);
    bad.close.pop();
    const { code, stdout, stderr } = await run(writeInput('short.json', { series: { AAPL: bad } }));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/series\.AAPL\.close: has 9 values but time has 10/);
  });

  it('names the path and exits 1 when a value is not a number', async () => {
    const bad = { ...columns(3, 54), high: [1, 'x', 2] };
    const { code, stderr } = await run(writeInput('nan.json', { series: { SPY: bad } }));
    expect(code).toBe(1);
    expect(stderr).toMatch(/series\.SPY\.high\.1/);
  });

  it('exits 1 when a column is missing or the file is not JSON or does not exist', async () => {
    const { volume: _volume, ...noVolume } = columns(3, 55);
    expect((await run(writeInput('missing.json', { series: { X: noVolume } }))).stderr).toMatch(
      /series\.X\.volume/,
    );
    expect((await run(writeInput('garbage.json', '{not json'))).code).toBe(1);
    const missing = await run(join(dir, 'does-not-exist.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read/);
  });

  it('exits 1 and says so when --input is absent', async () => {
    const { code, stderr } = await run('');
    expect(code).toBe(1);
    expect(stderr).toMatch(/--input FILE is required/);
  });
});

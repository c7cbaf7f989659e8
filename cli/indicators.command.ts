import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { computeSeries } from '../core/signals/indicators/compute-series.js';
import { type Command, fail } from './command.js';

const column = z.array(z.number());
const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

const seriesSchema = z
  .object({ time: column, open: column, high: column, low: column, close: column, volume: column })
  .superRefine((s, ctx) => {
    for (const field of COLUMNS)
      if (s[field].length !== s.time.length)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `has ${s[field].length} values but time has ${s.time.length}`,
        });
  });

/** The `--input` document: columnar OHLCV per series name, time in Unix seconds. */
export const indicatorsInputSchema = z.object({ series: z.record(z.string(), seriesSchema) });

/** The first validation issue as `path: message`, e.g. `series.AAPL.close: has 3 values but time has 4`. */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const path = issue.path.map(String).join('.');
  return `${path || '(root)'}: ${issue.message}`;
}

async function readInput(path: string): Promise<string> {
  if (path !== '-') return readFile(path, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `pulse indicators --input FILE`: prints the standard indicator set of every series in FILE (or stdin) as JSON. */
export const indicatorsCommand: Command = {
  name: 'indicators',
  summary: 'Compute the standard indicators over OHLCV series (JSON in, JSON out)',
  usage: [
    'Usage: pulse indicators --input FILE',
    '',
    'FILE (or - for stdin): {"series": {NAME: {"time": [], "open": [], "high": [], "low": [], "close": [], "volume": []}}}',
    'with time in Unix seconds. Prints {"series": {NAME: {KEY: {OUTPUT: [number or null per bar]}}}} for SMA_20, EMA_20,',
    'WMA_20, RSI_14, MACD_12_26_9, BBANDS_20_2, ATR_14, STOCH_14_3_3, ADX_14, OBV, CCI_20, WILLR_14, MFI_14, ROC_10 and',
    'VWAP (cumulative, typical price); null during warm-up. TA-Lib conventions.',
  ].join('\n'),
  options: { input: { type: 'string', short: 'i' } },
  async run(values) {
    const path = values.input;
    if (typeof path !== 'string' || path === '')
      return fail('indicators: --input FILE is required (use - for stdin)');
    let text: string;
    try {
      text = await readInput(path);
    } catch (error) {
      return fail(
        `indicators: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return fail(
        `indicators: ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const parsed = indicatorsInputSchema.safeParse(json);
    if (!parsed.success) return fail(`indicators: invalid input at ${describeIssue(parsed.error)}`);
    process.stdout.write(`${JSON.stringify(computeSeries(parsed.data))}\n`);
    return 0;
  },
};

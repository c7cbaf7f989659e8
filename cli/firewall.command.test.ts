import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { firewallCommand, scanOptions, scanRequests } from './firewall.command.js';

async function scan(lines: string[], options = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  const errors = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  output.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  errors.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  input.end(lines.join('\n'));
  const summary = await scanRequests(input, output, errors, options);
  return {
    summary,
    verdicts: out
      .join('')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: unknown; action: string; score: number; rules: string[] }),
    errors: err.join(''),
  };
}

const attack = JSON.stringify({
  id: 'a1',
  method: 'GET',
  uri: "/get?id=1'%20or%20'1'='1",
  headers: { Host: 'localhost' },
  body: '',
});
const legit = JSON.stringify({
  id: 'l1',
  method: 'POST',
  uri: '/api/v1/signals',
  headers: { Host: 'localhost', 'Content-Type': 'application/json' },
  body: JSON.stringify({ expression: 'crossover(sma(close, 50), sma(close, 200)) and rsi(14) < 70' }),
});

describe('firewallCommand', () => {
  it('writes one verdict line per request with the rules that fired', async () => {
    const { summary, verdicts } = await scan([attack, legit]);
    expect(summary).toEqual({ scanned: 2, blocked: 1, invalid: 0 });
    expect(verdicts[0]).toMatchObject({ id: 'a1', action: 'block' });
    expect(verdicts[0]?.rules).toContain('sqli.structure-strong');
    expect(verdicts[1]).toEqual({ id: 'l1', action: 'allow', score: 0, rules: [] });
  });

  it('never blocks in detect mode but still scores', async () => {
    const { verdicts } = await scan([attack], { mode: 'detect' });
    expect(verdicts[0]?.action).toBe('allow');
    expect(verdicts[0]?.score).toBeGreaterThanOrEqual(5);
  });

  it('reports a malformed line on stderr and goes on', async () => {
    const { summary, verdicts, errors } = await scan(['{not json', attack]);
    expect(summary.invalid).toBe(1);
    expect(verdicts).toHaveLength(1);
    expect(errors).toContain('line 1');
  });

  it('validates --paranoia, --mode and the subcommand', async () => {
    expect(scanOptions({ paranoia: '2', mode: 'detect' })).toEqual({ paranoia: 2, mode: 'detect' });
    expect(scanOptions({ paranoia: '7' })).toMatch(/--paranoia/);
    expect(scanOptions({ mode: 'log' })).toMatch(/--mode/);
    expect(firewallCommand.allowPositionals).toBe(true);
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      expect(await firewallCommand.run({}, {}, ['list'])).toBe(1);
    } finally {
      process.stderr.write = stderr;
    }
  });
});

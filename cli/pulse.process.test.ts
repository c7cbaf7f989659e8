import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TEST_POSTGRES_URL =
  process.env.PULSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// These tests run the built command (`npm run build` first; `npm test` does) as a user would.
const root = path.resolve(import.meta.dirname, '..');
const entry = path.join(root, 'dist/cli/pulse.js');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function pulse(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (err += String(d)));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('pulse (process)', () => {
  let dataDir: string;
  beforeAll(() => {
    if (!fs.existsSync(entry)) throw new Error('dist/cli/pulse.js is missing: run `npm run build` first');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-cli-'));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 1 with one line naming the variable when PORT is not a number', async () => {
    const run = pulse(['serve'], { PORT: 'abc', DATA_DIR: dataDir });
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toBe('pulse: Invalid PORT="abc": expected a number\n');
  });

  it('exits 1 with a clear message when DATABASE_URL is unreachable', async () => {
    const run = pulse(['serve'], {
      PORT: '0',
      DATABASE_URL: 'postgres://pulse:secret@127.0.0.1:1/pulse',
      DB_CONNECT_TIMEOUT_MS: '1000',
    });
    expect(await run.exit).toBe(1);
    const lines = run.stderr().trim().split('\n');
    const last = lines.at(-1) ?? '';
    expect(last).toMatch(
      /^pulse: Cannot reach DATABASE_URL \(postgres:\/\/pulse:\*\*\*@127\.0\.0\.1:1\/pulse\): /,
    );
    expect(run.stderr()).not.toContain('secret');
    expect(run.stderr()).not.toMatch(/^\s+at /m);
  });

  it('prints help and exits 0, and refuses an unknown command with 2', async () => {
    const help = pulse(['--help'], {});
    expect(await help.exit).toBe(0);
    expect(help.stdout()).toMatch(/Commands:\n {2}serve {7}Start the Pulse server/);
    const unknown = pulse(['frobnicate'], {});
    expect(await unknown.exit).toBe(2);
    expect(unknown.stderr()).toContain("unknown command 'frobnicate'");
  });

  it('serves /healthz within 5 s, becomes ready, refuses a second process on the same DATA_DIR, and stops cleanly on SIGTERM', async () => {
    const started = Date.now();
    const run = pulse(['serve'], {
      PORT: '0',
      DATA_DIR: dataDir,
      SIM_START: '2024-03-12T14:30:00Z',
      SIM_SPEED: '10',
    });
    const url = await waitFor(() => /serving at (http:\/\/\S+)/.exec(run.stderr())?.[1], 10_000);
    await waitFor(
      async () => ((await fetch(`${url}/healthz`).catch(() => undefined))?.ok ? true : undefined),
      5_000,
    );
    const healthyAfter = Date.now() - started;
    expect(healthyAfter).toBeLessThan(5_000);
    const ready = await waitFor(async () => {
      const res = await fetch(`${url}/readyz`).catch(() => undefined);
      return res?.ok
        ? ((await res.json()) as { components: Record<string, { ok: boolean; detail?: string }> })
        : undefined;
    }, 30_000);
    expect(ready.components.database).toEqual({ ok: true, detail: 'pglite' });
    expect(ready.components.market_feed).toEqual({ ok: true, detail: 'sim' });

    const second = pulse(['serve'], { PORT: '0', DATA_DIR: dataDir });
    expect(await second.exit).toBe(1);
    expect(second.stderr()).toMatch(/pulse: DATA_DIR .* is in use by another Pulse process \(pid \d+\)/);

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'pulse.lock'))).toBe(false);
  });

  it('applies migrations to a fresh PostgreSQL database once, then has nothing to apply', async () => {
    const name = `pulse_cli_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const url = new URL(TEST_POSTGRES_URL);
      url.pathname = `/${name}`;
      const first = pulse(['migrate'], { DATABASE_URL: url.toString() });
      expect(await first.exit).toBe(0);
      const report = JSON.parse(first.stdout()) as { engine: string; applied: string[]; pending: string[] };
      expect(report.engine).toBe('postgres');
      expect(report.pending).toEqual([]);
      expect(report.applied[0]).toBe('0001-initial');
      expect(report.applied).toEqual([...report.applied].sort());
      expect(report.applied.every((name) => /^\d{4}-[a-z-]+$/.test(name))).toBe(true);
      const again = pulse(['migrate'], { DATABASE_URL: url.toString() });
      expect(await again.exit).toBe(0);
      expect(JSON.parse(again.stdout())).toEqual({ engine: 'postgres', applied: [], pending: [] });
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});

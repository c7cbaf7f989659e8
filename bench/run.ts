/**
 * `npm run bench`: runs every benchmark, each in its own process, and prints one JSON document.
 *
 *   npm run bench                 # quick configuration (smoke: a few minutes)
 *   npm run bench -- --full       # the issue's full configuration (fan-out alone takes ~15 min)
 *   npm run bench -- --only fanout,history
 *   npm run bench -- --only trading          # order → ack latency and the matching engine
 *
 * Runs bench/fanout/fanout.ts, bench/fanout/gateway-cpu.ts, bench/history/history.ts, bench/trading/order-ack.ts and
 * bench/trading/matching.ts, then every other bench/**\/*.bench.ts
 * (indicators, firewall, the web bundle sizes, the Lighthouse scores and JavaScript per route under
 * `web/lighthouse`, …). Each must print one JSON document on stdout (progress goes to stderr);
 * in quick mode each is passed `--quick`. Results are collected under the file's path.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

interface Job {
  key: string;
  file: string;
  args: string[];
}

function benchFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...benchFiles(full));
    else if (entry.name.endsWith('.bench.ts')) out.push(full);
  }
  return out.sort();
}

/** Runs one benchmark under tsx; its stdout must be one JSON document. */
function run(job: Job, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', job.file, ...job.args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      try {
        const result: unknown = JSON.parse(stdout);
        resolve(code === 0 ? result : { exitCode: code, seconds, result });
      } catch {
        resolve({
          error:
            signal === 'SIGKILL'
              ? `killed after ${timeoutMs / 1000} s`
              : `exit ${code}: stdout is not one JSON document`,
          seconds,
          stdoutTail: stdout.slice(-2000),
        });
      }
    });
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const full = argv.includes('--full');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',') : undefined;
  const mode = full ? [] : ['--quick'];
  const jobs: Job[] = [
    { key: 'fanout', file: path.join(here, 'fanout/fanout.ts'), args: mode },
    { key: 'gateway-cpu', file: path.join(here, 'fanout/gateway-cpu.ts'), args: mode },
    { key: 'history', file: path.join(here, 'history/history.ts'), args: mode },
    { key: 'trading/order-ack', file: path.join(here, 'trading/order-ack.ts'), args: mode },
    { key: 'trading/matching', file: path.join(here, 'trading/matching.ts'), args: mode },
    ...benchFiles(here).map((file) => ({
      key: path
        .relative(here, file)
        .replace(/\.bench\.ts$/, '')
        .split(path.sep)
        .join('/'),
      file,
      args: mode,
    })),
  ].filter((job) => !only || only.some((o) => job.key === o || job.key.startsWith(`${o}/`)));

  const startedAt = new Date().toISOString();
  const loadBefore = os.loadavg();
  const results: Record<string, unknown> = {};
  for (const job of jobs) {
    process.stderr.write(`[bench] ${job.key} ${job.args.join(' ')}\n`);
    results[job.key] = await run(job, (full ? 60 : 15) * 60_000);
  }
  const document = {
    pulse: 'benchmarks',
    mode: full ? 'full' : 'quick',
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadavgBefore: loadBefore.map((x) => +x.toFixed(2)),
      loadavgAfter: os.loadavg().map((x) => +x.toFixed(2)),
    },
    results,
  };
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

await main();

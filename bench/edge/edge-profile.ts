// Serves one Pulse app with the production edge on (as edge.bench.ts does) and drives one route from a separate
// autocannon process, and records a CPU profile of the server over the load only (not the start-up).
// Usage: npx tsx bench/edge/edge-profile.ts [clock|assets|watchlists|add] [--off] [--seconds 5] [--out file.cpuprofile]
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { botHeaders, startEdgeApps } from './edge-apps.js';

const name = process.argv[2] ?? 'clock';
const off = process.argv.includes('--off');
const secondsAt = process.argv.indexOf('--seconds');
const seconds = secondsAt === -1 ? 5 : Number(process.argv[secondsAt + 1]);
const outAt = process.argv.indexOf('--out');
const outFile = outAt === -1 ? undefined : process.argv[outAt + 1];

const apps = await startEdgeApps();
const route = apps.routes.find((r) => r.name.startsWith(name));
if (route === undefined)
  throw new Error(`unknown route ${name}: one of ${apps.routes.map((r) => r.name).join(', ')}`);
const url = await (off ? apps.off : apps.on).app.http.listen({ host: '127.0.0.1', port: 0 });
const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
const args = [
  cli,
  '-c',
  '10',
  '-d',
  String(seconds),
  ...Object.entries({
    ...botHeaders(apps.token),
    ...(route.body !== undefined && { 'content-type': 'application/json' }),
  }).flatMap(([header, value]) => ['-H', `${header}=${value}`]),
  ...(route.body === undefined ? [] : ['-m', 'POST', '-b', route.body]),
  `${url}${route.path}`,
];
const session = new Session();
session.connect();
if (outFile !== undefined) {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}
const cpu = process.cpuUsage();
const out = await new Promise<string>((resolve, reject) =>
  execFile(process.execPath, args, { timeout: (seconds + 30) * 1000 }, (error, stdout, stderr) =>
    error ? reject(error) : resolve(`${stdout}${stderr}`),
  ),
);
const used = process.cpuUsage(cpu);
if (outFile !== undefined) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(outFile, JSON.stringify(profile));
}
session.disconnect();
const requests = /(\d+)k requests in/.exec(out)?.[1];
process.stdout.write(out.split('\n').slice(-3).join('\n'));
const total = used.user + used.system;
process.stdout.write(
  `server CPU ${Math.round(total / 1000)} ms${requests ? `, ${Math.round((total / (Number(requests) * 1000)) * 10) / 10} µs per request` : ''}\n`,
);
await apps.close();

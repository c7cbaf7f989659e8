import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { botHeaders, startEdgeApps } from './edge-apps.js';
const apps = await startEdgeApps();
const headers = botHeaders(apps.token);
const which = process.argv[2] ?? 'add';
const route = apps.routes.find((r) => r.name.startsWith(which))!;
const req =
  route.body === undefined
    ? { method: 'GET' as const, url: route.path, headers }
    : {
        method: 'POST' as const,
        url: route.path,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: route.body,
      };
const t = apps[(process.argv[3] ?? 'on') as 'on' | 'off'];
const run = async (n: number) => {
  for (let i = 0; i < n; i++) {
    await t.app.http.inject(req);
    if (i % 64 === 63) await new Promise((r) => setImmediate(r));
  }
};
await run(3000);
const s = new Session();
s.connect();
await s.post('Profiler.enable');
await s.post('Profiler.setSamplingInterval', { interval: 50 });
await s.post('Profiler.start');
const c = process.cpuUsage();
await run(20000);
const u = process.cpuUsage(c);
const { profile } = await s.post('Profiler.stop');
writeFileSync(`/tmp/edge7/${which}-${process.argv[3] ?? 'on'}.cpuprofile`, JSON.stringify(profile));
console.log((u.user + u.system) / 20000, 'µs/req');
await apps.close();

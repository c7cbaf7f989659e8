// Decides what `npm start` / `pulse` must build before running: the server (tsc -b) when any of
// core, contracts, server or cli is newer than its last build, the web app (vite) likewise.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const dist = path.join(root, 'dist');

function newestMtime(dirs, files = []) {
  let newest = 0;
  const visit = (p) => {
    let stat;
    try {
      stat = fs.statSync(p);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      const name = path.basename(p);
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return;
      for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    } else if (!/\.test\.tsx?$/.test(p)) newest = Math.max(newest, stat.mtimeMs);
  };
  for (const d of [...dirs, ...files]) visit(path.join(root, d));
  return newest;
}

function stampTime(name) {
  try {
    return fs.statSync(path.join(dist, name)).mtimeMs;
  } catch {
    return 0;
  }
}

function run(label, args, quiet) {
  if (!quiet) process.stderr.write(`pulse: building ${label}…\n`);
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: quiet ? 'pipe' : ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(String(result.stdout ?? '') + String(result.stderr ?? ''));
    process.stderr.write(`pulse: building ${label} failed\n`);
    process.exit(1);
  }
}

function touch(name) {
  fs.mkdirSync(dist, { recursive: true });
  fs.writeFileSync(path.join(dist, name), new Date().toISOString());
}

/** Marks one half ('server' or 'web') as freshly built. */
export function markBuilt(half) {
  touch(`.${half}-built`);
}

const serverSources = ['core', 'contracts', 'server', 'cli'];
const configFiles = ['tsconfig.base.json', 'tsconfig.json', 'package-lock.json'];

/** Builds the server and the web app where their sources changed since the last build. */
export async function ensureBuilt({ quiet = false } = {}) {
  if (
    newestMtime(serverSources, configFiles) > stampTime('.server-built') ||
    !fs.existsSync(path.join(dist, 'cli/pulse.js'))
  ) {
    run('the server', [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.json'], quiet);
    touch('.server-built');
  }
  const webSources = ['web', 'contracts', 'core'];
  if (
    newestMtime(webSources, configFiles) > stampTime('.web-built') ||
    !fs.existsSync(path.join(dist, 'web/index.html'))
  ) {
    run(
      'the web app',
      [
        path.join(root, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'web/vite.config.ts',
        '--logLevel',
        'warn',
      ],
      quiet,
    );
    touch('.web-built');
  }
}

/**
 * Bundle sizes of the built web app (`npm run build` first): raw, gzip and brotli per chunk, and the
 * initial JavaScript a first visit must load before the lazy chart chunk. Budget: ≤ 100 kB brotli.
 * Baseline in the same run: React + react-dom alone, bundled the same way, so the app's own share shows.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const root = path.resolve(import.meta.dirname, '../..');
const BUDGET_BROTLI = 100_000;

function sizes(code: Buffer) {
  return {
    raw: code.length,
    gzip: zlib.gzipSync(code, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(code, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function reactBaseline(): ReturnType<typeof sizes> | { error: string } {
  // Inside the repo so the entry resolves react from node_modules.
  fs.mkdirSync(path.join(root, 'node_modules/.cache'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, 'node_modules/.cache/pulse-react-baseline-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'entry.js'),
      "import { createRoot } from 'react-dom/client';\nimport { createElement } from 'react';\ncreateRoot(document.body).render(createElement('p', null, 'hi'));\n",
    );
    const out = path.join(dir, 'out.js');
    const esbuild = path.join(root, 'node_modules/.bin/esbuild');
    const args = [
      '--bundle',
      '--minify',
      '--format=esm',
      `--outfile=${out}`,
      '--define:process.env.NODE_ENV="production"',
    ];
    const result = spawnSync(esbuild, [path.join(dir, 'entry.js'), ...args], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) return { error: result.stderr.slice(0, 300) };
    return sizes(fs.readFileSync(out));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const report = spawnSync(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'web/build/report-sizes.ts')],
  { cwd: root, encoding: 'utf8' },
);
if (report.status !== 0) {
  process.stdout.write(
    `${JSON.stringify({ error: 'web app not built: run `npm run build` first', stderr: report.stderr.slice(0, 300) })}\n`,
  );
} else {
  const app = JSON.parse(report.stdout) as { initialJs?: { brotli?: number } };
  const initialBrotli = app.initialJs?.brotli;
  process.stdout.write(
    `${JSON.stringify({
      app,
      budget: {
        initialBrotliBytes: BUDGET_BROTLI,
        withinBudget: initialBrotli !== undefined && initialBrotli <= BUDGET_BROTLI,
      },
      baseline: { reactAndReactDom: reactBaseline() },
    })}\n`,
  );
}

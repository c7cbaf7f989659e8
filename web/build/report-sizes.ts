// Prints the size of each built JS chunk (raw, gzip 9, brotli 11) and the initial-load total as JSON.
// Usage: npx tsx web/build/report-sizes.ts [outDir]   (default dist/web; build first)
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

/** Raw and compressed byte counts of one file. */
export interface FileSize {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
}

/** Measures `data` as served: raw, gzip level 9 and brotli quality 11. */
export function measure(file: string, data: Buffer): FileSize {
  return {
    file,
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }).length,
  };
}

/** Keys of the manifest an entry loads before it runs: itself and its static imports, transitively. */
export function initialKeys(manifest: Record<string, ManifestChunk>): string[] {
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) visit(next);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry === true) visit(key);
  return [...seen];
}

const sum = (sizes: FileSize[], key: 'raw' | 'gzip' | 'brotli'): number =>
  sizes.reduce((n, s) => n + s[key], 0);

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? 'dist/web');
  const manifest = JSON.parse(await readFile(path.join(outDir, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const chunks: (FileSize & { kind: 'entry' | 'static' | 'lazy' })[] = [];
  const initial = new Set(initialKeys(manifest));
  for (const [key, chunk] of Object.entries(manifest)) {
    if (!chunk.file.endsWith('.js')) continue;
    const size = measure(chunk.file, await readFile(path.join(outDir, chunk.file)));
    const kind = chunk.isEntry === true ? 'entry' : initial.has(key) ? 'static' : 'lazy';
    chunks.push({ ...size, kind });
  }
  const initialChunks = chunks.filter((c) => c.kind !== 'lazy');
  const css = await Promise.all(
    [...initial]
      .flatMap((key) => manifest[key]?.css ?? [])
      .map(async (file) => measure(file, await readFile(path.join(outDir, file)))),
  );
  const report = {
    outDir: path.relative(process.cwd(), outDir) || '.',
    chunks: chunks.sort((a, b) => b.raw - a.raw),
    initialJs: {
      files: initialChunks.map((c) => c.file),
      raw: sum(initialChunks, 'raw'),
      gzip: sum(initialChunks, 'gzip'),
      brotli: sum(initialChunks, 'brotli'),
    },
    initialCss: {
      files: css.map((c) => c.file),
      raw: sum(css, 'raw'),
      gzip: sum(css, 'gzip'),
      brotli: sum(css, 'brotli'),
    },
    lazyJs: {
      raw: sum(chunks, 'raw') - sum(initialChunks, 'raw'),
      brotli: sum(chunks, 'brotli') - sum(initialChunks, 'brotli'),
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();

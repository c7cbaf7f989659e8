import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Options for {@link precompress}. */
export interface PrecompressOptions {
  /** File extensions to compress. */
  extensions?: readonly string[];
  /** Files at or below this many bytes are left alone. */
  minBytes?: number;
}

const defaults = {
  extensions: ['.js', '.css', '.html', '.svg', '.webmanifest'],
  minBytes: 1024,
} satisfies Required<PrecompressOptions>;

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

/** Compresses one file to `<file>.br` (brotli q11) and `<file>.gz` (gzip 9). */
export async function compressFile(file: string): Promise<void> {
  const data = await readFile(file);
  const [br, gzipped] = await Promise.all([
    brotli(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
    gz(data, { level: 9 }),
  ]);
  await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gzipped)]);
}

/**
 * Vite plugin: once the bundle (and the service worker, which vite-plugin-pwa writes in its own
 * closeBundle) is on disk, writes `.br` and `.gz` beside every matching file over `minBytes`.
 */
export function precompress(options: PrecompressOptions = {}): Plugin {
  const { extensions, minBytes } = { ...defaults, ...options };
  let outDir = '';
  return {
    name: 'pulse:precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        const jobs: Promise<void>[] = [];
        for await (const file of walk(outDir)) {
          if (!extensions.includes(path.extname(file))) continue;
          if ((await stat(file)).size <= minBytes) continue;
          jobs.push(compressFile(file));
        }
        await Promise.all(jobs);
      },
    },
  };
}

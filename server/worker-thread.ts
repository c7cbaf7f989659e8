import { Worker } from 'node:worker_threads';

/**
 * Starts the worker script `name` (no extension) that sits next to the module at `from` (its import.meta.url):
 * the compiled `.js` in dist, or the `.ts` source under tsx or vitest. Node 20 does not apply --import hooks to a
 * worker's entry module, so a source worker registers tsx's loader inside itself first, then imports its script.
 */
export function startWorker(from: string, name: string, workerData?: unknown): Worker {
  if (from.endsWith('.ts')) {
    const entry = JSON.stringify(new URL(`./${name}.ts`, from).href);
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); })`;
    return new Worker(boot, { eval: true, workerData });
  }
  return new Worker(new URL(`./${name}.js`, from), { workerData });
}

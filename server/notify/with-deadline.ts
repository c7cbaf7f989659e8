import { DeliveryError } from './delivery-error.js';

/**
 * Runs `work` with a signal that aborts after `ms` or when `parent` aborts, and rejects at that
 * moment even if `work` ignores its signal: a hung library call never holds a delivery hostage.
 */
export async function withDeadline<T>(
  work: (signal: AbortSignal) => Promise<T>,
  ms: number,
  parent: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onParent: (() => void) | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new DeliveryError('transient', `timed out after ${ms} ms`);
      controller.abort(error);
      reject(error);
    }, ms);
    onParent = () => {
      controller.abort(parent.reason);
      reject(new DeliveryError('transient', 'interrupted by shutdown'));
    };
    if (parent.aborted) onParent();
    else parent.addEventListener('abort', onParent, { once: true });
  });
  const running = work(controller.signal);
  // A late failure of abandoned work must not surface as an unhandled rejection.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
    if (onParent) parent.removeEventListener('abort', onParent);
  }
}

import { DeliveryError, httpStatusError } from '../../notify/delivery-error.js';

const USER_AGENT = 'Pulse-Notify/1';
const DETAIL_MAX = 200;

function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1_000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * POSTs to a notification endpoint and classifies the answer: 2xx resolves; 408/429/5xx and network
 * errors throw a transient DeliveryError (Retry-After kept), other statuses a permanent one.
 * Redirects are not followed: an endpoint must be given as its final URL.
 */
export async function postForDelivery(
  url: string,
  init: { headers: Record<string, string>; body: string | Uint8Array },
  signal: AbortSignal,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'user-agent': USER_AGENT, ...init.headers },
      body: init.body,
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw new DeliveryError('transient', 'timed out');
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new DeliveryError('transient', cause?.code ?? cause?.message ?? (error as Error).message);
  }
  const text = await response.text().catch(() => '');
  const failure = httpStatusError(
    response.status,
    text.slice(0, DETAIL_MAX).trim(),
    retryAfterMs(response.headers.get('retry-after'), Date.now()),
  );
  if (failure) throw failure;
}

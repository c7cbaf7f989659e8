import net from 'node:net';
import type { TcpCheck } from '../../../../contracts/ops.js';
import { type CheckOutcome, failed } from './check-outcome.js';

/** Checks that a TCP port accepts a connection within the timeout. */
export function tcpCheck(spec: Omit<TcpCheck, 'kind'>, timeoutMs: number): Promise<CheckOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host: spec.host, port: spec.port });
    const finish = (outcome: CheckOutcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(failed(`no connection within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => {
      const latencyMs = Math.round(performance.now() - started);
      finish({ ok: true, latencyMs, detail: `connected in ${latencyMs} ms` });
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish(failed(`${error.code ?? 'error'}: ${error.message}`)),
    );
  });
}

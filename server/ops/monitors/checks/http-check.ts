import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { HttpCheck } from '../../../../contracts/ops.js';
import { type CheckOutcome, failed } from './check-outcome.js';

type HttpSpec = Omit<HttpCheck, 'kind' | 'method' | 'expectStatus' | 'verifyTls'> &
  Partial<Pick<HttpCheck, 'method' | 'expectStatus' | 'verifyTls'>>;

const MAX_BODY = 1024 * 1024;
const DAY_MS = 86_400_000;

/** Reads a dot path (`a.b.0.c`) out of parsed JSON. */
export function jsonAt(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

interface Response {
  status: number;
  body: string;
  certValidTo: number | undefined;
  latencyMs: number;
}

function fetchOnce(spec: HttpSpec, timeoutMs: number): Promise<Response> {
  const url = new URL(spec.url);
  const isHttps = url.protocol === 'https:';
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = (isHttps ? https : http).request(url, {
      method: spec.method ?? 'GET',
      agent: false,
      headers: { 'user-agent': 'PulseMonitor/1', accept: '*/*', connection: 'close' },
      ...(isHttps && { rejectUnauthorized: spec.verifyTls ?? true, servername: url.hostname }),
    });
    const timer = setTimeout(() => request.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.on('response', (response) => {
      let certValidTo: number | undefined;
      if (isHttps) {
        const cert = (response.socket as TLSSocket).getPeerCertificate();
        if (cert.valid_to) certValidTo = Date.parse(cert.valid_to);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      response.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          certValidTo,
          latencyMs: Math.round(performance.now() - started),
        });
      });
    });
    request.end();
  });
}

/** Checks an HTTP(S) endpoint: status, keyword, a JSON field, latency and certificate expiry. */
export async function httpCheck(
  spec: HttpSpec,
  timeoutMs: number,
  now: number = Date.now(),
): Promise<CheckOutcome> {
  let response: Response;
  try {
    response = await fetchOnce(spec, timeoutMs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return failed(code ? `${code}: ${(error as Error).message}` : (error as Error).message);
  }
  const { status, body, latencyMs } = response;
  const expected = spec.expectStatus ?? [];
  const statusOk = expected.length === 0 ? status >= 200 && status < 300 : expected.includes(status);
  if (!statusOk)
    return failed(
      `HTTP ${status}, expected ${expected.length === 0 ? '2xx' : expected.join('|')}`,
      latencyMs,
    );
  if (spec.keyword !== undefined && !body.includes(spec.keyword))
    return failed(`keyword ${JSON.stringify(spec.keyword)} not in body`, latencyMs);
  if (spec.json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return failed('body is not JSON', latencyMs);
    }
    const actual = jsonAt(parsed, spec.json.path);
    if (actual !== spec.json.equals)
      return failed(
        `${spec.json.path} is ${JSON.stringify(actual) ?? 'missing'}, expected ${JSON.stringify(spec.json.equals)}`,
        latencyMs,
      );
  }
  if (spec.maxLatencyMs !== undefined && latencyMs > spec.maxLatencyMs)
    return failed(`slow: ${latencyMs} ms > ${spec.maxLatencyMs} ms`, latencyMs);
  let certNote = '';
  if (response.certValidTo !== undefined) {
    const days = Math.floor((response.certValidTo - now) / DAY_MS);
    if (spec.certMinDays !== undefined && days < spec.certMinDays)
      return failed(`certificate expires in ${days} days (< ${spec.certMinDays})`, latencyMs);
    certNote = `, certificate valid ${days} more days`;
  }
  return { ok: true, latencyMs, detail: `HTTP ${status} in ${latencyMs} ms${certNote}` };
}

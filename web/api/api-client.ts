import { z } from 'zod';
import {
  Me,
  MfaRequired,
  SetupStatus,
  type CreateOwnerBody,
  type LoginBody,
  type Me as MeType,
  type MfaRequired as MfaRequiredType,
  type SetupStatus as SetupStatusType,
} from '../../contracts/auth.js';
import type { ErrorCode } from '../../contracts/errors.js';
import {
  Asset,
  BarsResponse,
  SnapshotsResponse,
  type Asset as AssetType,
  type BarsResponse as BarsResponseType,
  type SnapshotsResponse as SnapshotsResponseType,
} from '../../contracts/market.js';
import { Watchlist, type Watchlist as WatchlistType } from '../../contracts/watchlists.js';
import { ApiError } from './api-error.js';
import { CalendarDay, type CalendarDay as CalendarDayType } from './calendar-day.js';

const AssetList = Asset.array();
const WatchlistList = Watchlist.array();
const CalendarList = CalendarDay.array();
const PowChallenge = z.object({
  id: z.string(),
  salt: z.string(),
  difficulty: z.number().int(),
  expiresAt: z.string(),
});
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Query for {@link ApiClient.getBars}; mirrors the server's BarsQuery. */
export interface BarsRequest {
  symbols: readonly string[];
  timeframe: string;
  limit?: number;
  start?: string;
  end?: string;
}

/** Typed REST calls to the Pulse API; every response is validated against the contracts. */
export interface ApiClient {
  getSetup(): Promise<SetupStatusType>;
  createOwner(body: CreateOwnerBody): Promise<MeType>;
  getMe(): Promise<MeType>;
  /** Signs in; with MFA on, answers a challenge to complete with `verifyMfa`. */
  login(body: LoginBody): Promise<MeType | MfaRequiredType>;
  /** Second step of sign-in: a TOTP or recovery code for the challenge. */
  verifyMfa(body: { challengeId: string; code: string }): Promise<MeType>;
  logout(): Promise<void>;
  searchAssets(search: string, signal?: AbortSignal): Promise<AssetType[]>;
  getBars(query: BarsRequest, signal?: AbortSignal): Promise<BarsResponseType>;
  getSnapshots(symbols: readonly string[], signal?: AbortSignal): Promise<SnapshotsResponseType>;
  /** Trading days in [start, end] (YYYY-MM-DD, New York dates). */
  getCalendar(start: string, end: string, signal?: AbortSignal): Promise<CalendarDayType[]>;
  getWatchlists(signal?: AbortSignal): Promise<WatchlistType[]>;
  createWatchlist(body: { name: string; symbols?: readonly string[] }): Promise<WatchlistType>;
  updateWatchlist(id: string, body: { name?: string; symbols?: readonly string[] }): Promise<WatchlistType>;
  deleteWatchlist(id: string): Promise<void>;
  addWatchlistSymbol(id: string, symbol: string): Promise<WatchlistType>;
  removeWatchlistSymbol(id: string, symbol: string): Promise<WatchlistType>;
  reorderWatchlists(ids: readonly string[]): Promise<WatchlistType[]>;
  /** Any JSON call validated by `schema` (null: no body expected); lazy features bring their own contracts. */
  call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S | null,
    body?: unknown,
  ): Promise<z.infer<S>>;
}

/** What {@link createApiClient} needs from its surroundings. */
export interface ApiClientOptions {
  /** Prefix for every path; '' means same origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

function isErrorBody(value: unknown): value is { code: ErrorCode; message: string; requestId?: string } {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return typeof body.code === 'string' && typeof body.message === 'string';
}

/** Creates the API client; it keeps the CSRF token from the last Me it saw. */
/** Waits before each repeat of a request the server was not ready for (ms); then the 503 stands. */
const NOT_READY_RETRIES = [500, 1_500];

/** True for a request that may be sent again: a read, or a body that carries its client_order_id. */
function repeatable(method: string, body: unknown): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  return typeof body === 'object' && body !== null && 'client_order_id' in body;
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let csrfToken: string | null = null;

  async function request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S | null,
    init: { body?: unknown; signal?: AbortSignal | undefined; pow?: string; attempt?: number } = {},
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.pow !== undefined) headers['x-pow'] = init.pow;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (unsafeMethods.has(method) && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        body: init.body === undefined ? null : JSON.stringify(init.body),
        signal: init.signal ?? null,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'CLIENT_NETWORK_ERROR', 'Cannot reach the Pulse server. Check your connection.');
    }
    const text = await response.text();
    let json: unknown = undefined;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (
      response.status === 428 &&
      isErrorBody(json) &&
      json.code === 'EDGE_CHALLENGE_REQUIRED' &&
      !init.pow
    ) {
      // Sign-in and sign-up may ask for a proof of work (server/edge/bot): solve one and retry once.
      const challenge = await request('GET', '/api/v1/challenge', PowChallenge, { signal: init.signal });
      return request(method, path, schema, {
        ...init,
        // The solver loads only when a challenge comes (suspicious traffic, or sign-in under attack).
        pow: await (await import('./pow.js')).solvePow(challenge, { signal: init.signal }),
      });
    }
    const attempt = init.attempt ?? 0;
    if (
      response.status === 503 &&
      isErrorBody(json) &&
      json.code === 'SERVICE_NOT_READY' &&
      attempt < NOT_READY_RETRIES.length &&
      repeatable(method, init.body)
    ) {
      // Starting up, or paper trading moving to another node: a read, or an order with its
      // client_order_id (answered with the first order if it was placed after all), is tried again.
      await delay(NOT_READY_RETRIES[attempt] ?? 0, init.signal);
      return request(method, path, schema, { ...init, attempt: attempt + 1 });
    }
    if (!response.ok) {
      if (isErrorBody(json)) throw new ApiError(response.status, json.code, json.message, json.requestId);
      throw new ApiError(response.status, 'CLIENT_BAD_RESPONSE', `The server answered ${response.status}.`);
    }
    if (schema === null) return undefined as z.infer<S>;
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ApiError(response.status, 'CLIENT_BAD_RESPONSE', `Unexpected response from ${path}.`);
    }
    return parsed.data;
  }

  const remember = (me: MeType): MeType => {
    csrfToken = me.csrfToken;
    return me;
  };

  return {
    getSetup: () => request('GET', '/api/v1/setup', SetupStatus),
    createOwner: async (body) => remember(await request('POST', '/api/v1/setup/owner', Me, { body })),
    getMe: async () => remember(await request('GET', '/api/v1/auth/me', Me)),
    login: async (body) => {
      const result = await request('POST', '/api/v1/auth/login', z.union([Me, MfaRequired]), { body });
      return 'mfaRequired' in result ? result : remember(result);
    },
    verifyMfa: async (body) => remember(await request('POST', '/api/v1/auth/mfa/verify', Me, { body })),
    logout: async () => {
      await request('POST', '/api/v1/auth/logout', null);
      csrfToken = null;
    },
    searchAssets: (search, signal) =>
      request('GET', `/api/v1/assets?${new URLSearchParams({ search })}`, AssetList, { signal }),
    getBars: (query, signal) => {
      const params = new URLSearchParams({ symbols: query.symbols.join(','), timeframe: query.timeframe });
      if (query.limit !== undefined) params.set('limit', String(query.limit));
      if (query.start !== undefined) params.set('start', query.start);
      if (query.end !== undefined) params.set('end', query.end);
      return request('GET', `/api/v1/bars?${params}`, BarsResponse, { signal });
    },
    getSnapshots: (symbols, signal) =>
      request(
        'GET',
        `/api/v1/snapshots?${new URLSearchParams({ symbols: symbols.join(',') })}`,
        SnapshotsResponse,
        { signal },
      ),
    getCalendar: (start, end, signal) =>
      request('GET', `/api/v1/calendar?${new URLSearchParams({ start, end })}`, CalendarList, { signal }),
    getWatchlists: (signal) => request('GET', '/api/v1/watchlists', WatchlistList, { signal }),
    createWatchlist: (body) => request('POST', '/api/v1/watchlists', Watchlist, { body }),
    updateWatchlist: (id, body) =>
      request('PATCH', `/api/v1/watchlists/${encodeURIComponent(id)}`, Watchlist, { body }),
    deleteWatchlist: async (id) => {
      await request('DELETE', `/api/v1/watchlists/${encodeURIComponent(id)}`, null);
    },
    addWatchlistSymbol: (id, symbol) =>
      request('POST', `/api/v1/watchlists/${encodeURIComponent(id)}/symbols`, Watchlist, {
        body: { symbol },
      }),
    removeWatchlistSymbol: (id, symbol) =>
      request(
        'DELETE',
        `/api/v1/watchlists/${encodeURIComponent(id)}/symbols/${encodeURIComponent(symbol)}`,
        Watchlist,
      ),
    reorderWatchlists: (ids) => request('PUT', '/api/v1/watchlists/order', WatchlistList, { body: { ids } }),
    call: (method, path, schema, body) => request(method, path, schema, body === undefined ? {} : { body }),
  };
}

import type { z } from 'zod';
import {
  Me,
  SetupStatus,
  type CreateOwnerBody,
  type LoginBody,
  type Me as MeType,
  type SetupStatus as SetupStatusType,
} from '../../contracts/auth.js';
import type { ErrorCode } from '../../contracts/errors.js';
import {
  Asset,
  BarsResponse,
  type Asset as AssetType,
  type BarsResponse as BarsResponseType,
} from '../../contracts/market.js';
import { ApiError } from './api-error.js';

const AssetList = Asset.array();
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
  login(body: LoginBody): Promise<MeType>;
  logout(): Promise<void>;
  searchAssets(search: string, signal?: AbortSignal): Promise<AssetType[]>;
  getBars(query: BarsRequest, signal?: AbortSignal): Promise<BarsResponseType>;
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
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let csrfToken: string | null = null;

  async function request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S | null,
    init: { body?: unknown; signal?: AbortSignal | undefined } = {},
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
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
    login: async (body) => remember(await request('POST', '/api/v1/auth/login', Me, { body })),
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
  };
}

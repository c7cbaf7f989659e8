import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { addEdgeScreen } from '../screens.js';
import type { ErrorBody } from '../../../contracts/errors.js';
import { type CountryLookup, loadGeoLookup } from './geo.js';
import { ipFilter, type IpFilterOptions } from './ip-filter.js';

/** Options of the IP filter plugin: the lists; the geo database is loaded only if `denyCountries` is set. */
export interface IpFilterPluginOptions extends Omit<IpFilterOptions, 'lookupCountry'> {
  /** Overrides the geoip-lite lookup (tests). */
  lookupCountry?: CountryLookup;
}

/** Counters for /metrics. */
export interface IpFilterMonitor {
  readonly counters: { refused: number; byReason: Record<string, number>; byCountry: Record<string, number> };
}

declare module 'fastify' {
  interface FastifyInstance {
    ipFilter: IpFilterMonitor;
  }
}

const plugin: FastifyPluginAsync<IpFilterPluginOptions> = async (app, options) => {
  const geo = (options.denyCountries ?? []).length > 0;
  const lookupCountry = geo ? (options.lookupCountry ?? (await loadGeoLookup())) : undefined;
  const filter = ipFilter({ ...options, ...(lookupCountry && { lookupCountry }) });
  const monitor: IpFilterMonitor = { counters: { refused: 0, byReason: {}, byCountry: {} } };
  app.decorate('ipFilter', monitor);

  // request.ip is already the client behind trusted proxies (Fastify's trustProxy), never a spoofable header.
  addEdgeScreen(app, (request, reply) => {
    const verdict = filter.check(request.ip);
    if (verdict.allowed) return false;
    const { counters } = monitor;
    counters.refused += 1;
    counters.byReason[verdict.reason] = (counters.byReason[verdict.reason] ?? 0) + 1;
    if (verdict.country) counters.byCountry[verdict.country] = (counters.byCountry[verdict.country] ?? 0) + 1;
    request.log.info(
      { ip: request.ip, reason: verdict.reason, country: verdict.country },
      'ip filter refused',
    );
    const body: ErrorBody = {
      code: 'EDGE_IP_FORBIDDEN',
      message: 'Requests from your network are not accepted here.',
      requestId: request.id,
    };
    void reply.code(403).send(body);
    return true;
  });
};

/** Fastify plugin: refuses clients by CIDR allow/deny lists and by country with 403 EDGE_IP_FORBIDDEN. */
export const ipFilterPlugin = fp(plugin, { name: 'pulse-ip-filter', fastify: '5.x' });

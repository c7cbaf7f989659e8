import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { addEdgeScreen } from '../screens.js';
import { securityHeaders, type SecurityHeadersOptions } from './security-headers.js';

const plugin: FastifyPluginAsync<SecurityHeadersOptions> = async (app, options) => {
  const headers = securityHeaders(options);
  addEdgeScreen(app, (request, reply) => {
    reply.headers(headers.always);
    if (request.protocol === 'https') reply.headers(headers.httpsOnly);
    return false;
  });
};

/**
 * Fastify plugin: strict CSP with reporting, COOP/CORP, Permissions-Policy, Reporting-Endpoints, the usual hardening
 * headers, and HSTS on HTTPS — compiled once at start (a helmet middleware rebuilt its CSP on every request).
 */
export const securityHeadersPlugin = fp(plugin, { name: 'pulse-security-headers', fastify: '5.x' });

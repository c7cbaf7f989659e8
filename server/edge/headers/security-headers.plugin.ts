import helmet from '@fastify/helmet';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { securityHeaders, type SecurityHeadersOptions } from './security-headers.js';

const plugin: FastifyPluginAsync<SecurityHeadersOptions> = async (app, options) => {
  const headers = securityHeaders(options);
  await app.register(helmet, headers.helmet);
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(headers.always);
    if (request.protocol === 'https') reply.headers(headers.httpsOnly);
  });
};

/** Fastify plugin: helmet with Pulse's CSP, plus Permissions-Policy, Reporting-Endpoints and HSTS (HTTPS only). */
export const securityHeadersPlugin = fp(plugin, { name: 'pulse-security-headers', fastify: '5.x' });

import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

export interface WebRoutesOptions {
  /** The built web app (dist/web). */
  root: string;
}

const HASHED_ASSET = /[-.][A-Za-z0-9_-]{8,}\.(js|css|woff2|png|svg|webp)(\.br|\.gz)?$/;

/** True when the built web app is present under `root`. */
export function isWebBuilt(root: string): boolean {
  return fs.existsSync(path.join(root, 'index.html'));
}

/**
 * Serves the built PWA: content-hashed files cached for a year as immutable, everything else
 * (index.html, the service worker, the manifest) revalidated; brotli/gzip files made at build time.
 */
export const webRoutes: FastifyPluginAsync<WebRoutesOptions> = async (app, options) => {
  await app.register(fastifyStatic, {
    root: options.root,
    preCompressed: true,
    wildcard: true,
    index: ['index.html'],
    cacheControl: false,
    serveDotFiles: false,
    // Hidden source maps stay on the server (ops/intake reads them to map browser stack traces).
    allowedPath: (pathName) => !pathName.endsWith('.map'),
    setHeaders: (reply, filePath) => {
      const immutable = filePath.includes(`${path.sep}assets${path.sep}`) && HASHED_ASSET.test(filePath);
      reply.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
};

/**
 * Client-side routes (/portfolio, /settings …) survive a reload: an unknown GET that asks for HTML
 * gets index.html. Returns undefined for requests it does not take (APIs, assets, non-GET).
 */
export function spaFallback(
  root: string,
): (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined {
  const html = fs.readFileSync(path.join(root, 'index.html'));
  const brotli = fs.existsSync(path.join(root, 'index.html.br'))
    ? fs.readFileSync(path.join(root, 'index.html.br'))
    : undefined;
  return (request, reply) => {
    const isApi = /^\/(api|healthz|readyz|metrics)(\/|$|\?)/.test(request.url);
    if (request.method !== 'GET' || isApi || !(request.headers.accept ?? '').includes('text/html'))
      return undefined;
    reply
      .header('Cache-Control', 'no-cache')
      .type('text/html; charset=utf-8')
      .header('Vary', 'Accept-Encoding');
    if (brotli && /\bbr\b/.test(request.headers['accept-encoding'] ?? ''))
      return reply.header('Content-Encoding', 'br').send(brotli);
    return reply.send(html);
  };
}

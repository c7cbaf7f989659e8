import { cidrMatcher } from './cidr.js';

/**
 * Fastify's `trustProxy` from a list of proxy CIDRs: X-Forwarded-For / -Proto / -Host are believed only hop by
 * hop while the peer is in the list, so `request.ip` is the first address (from the right) that is not a proxy.
 * An empty list trusts nobody; `true` keeps the old TRUST_PROXY=true behaviour (trust every hop).
 */
export function trustProxyOption(
  proxies: readonly string[] | boolean,
): boolean | ((address: string, hop: number) => boolean) {
  if (typeof proxies === 'boolean') return proxies;
  if (proxies.length === 0) return false;
  const isProxy = cidrMatcher(proxies);
  return (address) => isProxy(address);
}

import { boundedMemo } from '../memo.js';
import { cidrMatcher } from './cidr.js';
import type { CountryLookup } from './geo.js';

/** Options of {@link ipFilter}; every list defaults to empty (nothing filtered). */
export interface IpFilterOptions {
  /** CIDRs or addresses that may connect; when non-empty, every other address is refused. */
  allow?: readonly string[];
  /** CIDRs or addresses that are always refused (wins over `allow`). */
  deny?: readonly string[];
  /** ISO 3166-1 alpha-2 country codes to refuse; needs `lookupCountry`. */
  denyCountries?: readonly string[];
  lookupCountry?: CountryLookup;
}

/** Why an address was refused, or that it was not. */
export type IpVerdict =
  | { allowed: true; country?: string }
  | { allowed: false; reason: 'denied' | 'not-allowed' | 'country'; country?: string };

/** A compiled filter: a pure function from a client address to a verdict. */
export interface IpFilter {
  check(address: string): IpVerdict;
  /** True when a country rule is configured (the plugin then loads the geo database). */
  readonly needsGeo: boolean;
}

/** Compiles allow/deny CIDR lists and the country block list once (hono's ip-restriction shape). */
export function ipFilter(options: IpFilterOptions): IpFilter {
  const allow = options.allow ?? [];
  const isAllowed = cidrMatcher(allow);
  const isDenied = cidrMatcher(options.deny ?? []);
  const countries = new Set((options.denyCountries ?? []).map((c) => c.toUpperCase()));
  const lookup = options.lookupCountry;
  if (countries.size > 0 && !lookup) throw new Error('ipFilter: denyCountries needs lookupCountry');
  const decide = (address: string): IpVerdict => {
    if (isDenied(address)) return { allowed: false, reason: 'denied' };
    if (allow.length > 0 && !isAllowed(address)) return { allowed: false, reason: 'not-allowed' };
    if (countries.size === 0 || !lookup) return { allowed: true };
    const country = lookup(address);
    if (country !== undefined && countries.has(country))
      return { allowed: false, reason: 'country', country };
    return country === undefined ? { allowed: true } : { allowed: true, country };
  };
  // Clients come back: each address's verdict is remembered (a pure function of the address and the lists).
  return { needsGeo: countries.size > 0, check: boundedMemo(MAX_ADDRESSES, decide) };
}

/** Distinct addresses whose verdicts are remembered; the memo starts over when full. */
const MAX_ADDRESSES = 8_192;

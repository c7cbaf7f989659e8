/** Looks up the ISO 3166-1 alpha-2 country of an address; undefined when unknown (private, loopback…). */
export type CountryLookup = (address: string) => string | undefined;

let loading: Promise<CountryLookup> | undefined;

/**
 * geoip-lite's offline database (MaxMind GeoLite2, shipped with the package) costs ~100 MB of memory and
 * a second to load, so it is imported only when a country rule is configured, and only once per process.
 */
export function loadGeoLookup(): Promise<CountryLookup> {
  loading ??= import('geoip-lite').then((module) => {
    const geoip = module.default;
    return (address: string) => {
      const country = geoip.lookup(address)?.country;
      return country === undefined || country === '' ? undefined : country;
    };
  });
  return loading;
}

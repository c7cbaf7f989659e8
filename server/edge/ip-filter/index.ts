export { cidrMatcher, type CidrMatcher, parseAddress, validateCidrs } from './cidr.js';
export { type CountryLookup, loadGeoLookup } from './geo.js';
export { ipFilter, type IpFilter, type IpFilterOptions, type IpVerdict } from './ip-filter.js';
export { type IpFilterMonitor, ipFilterPlugin, type IpFilterPluginOptions } from './ip-filter.plugin.js';
export { trustProxyOption } from './trusted-proxies.js';

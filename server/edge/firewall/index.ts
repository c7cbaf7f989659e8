export { createFirewall, type Firewall, type FirewallOptions } from './firewall.js';
export type { FieldExclusion } from './exclusions.js';
export { DEFAULT_LIMITS, type FirewallLimits } from './parse-args.js';
export { PULSE_EXCLUSIONS } from './pulse-exclusions.js';
export {
  firewallPlugin,
  type FirewallPluginOptions,
  type FirewallMonitor,
  type FirewallEvent,
} from './firewall.plugin.js';
export { SEVERITY_SCORE } from './types.js';
export type { InspectedRequest, Paranoia, RuleFamily, RuleMatch, Severity, Verdict } from './types.js';
export { fromRawRequest, type RawRequest } from './raw-request.js';

export { applyBodyLimits, bodyLimitFor, type BodyLimits, DEFAULT_BODY_LIMITS } from './body-limits.js';
export { limitHeaderCount } from './header-count.js';
export {
  type ConnectionMonitor,
  createEdgeServer,
  DEFAULT_SERVER_LIMITS,
  type EdgeServerOptions,
  limitConnectionsPerIp,
  type ServerLimits,
} from './server-limits.js';
export {
  DEFAULT_WS_MESSAGE_RULE,
  limitWsMessageRate,
  type WsMessageRateMonitor,
  type WsMessageRateOptions,
} from './ws-message-rate.js';

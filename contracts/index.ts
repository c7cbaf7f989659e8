export * from './auth.js';
export * from './account-links.js';
export * from './errors.js';
export * from './market.js';
export * from './stream.js';
export * from './health.js';
export * from './trading.js';
export * from './passkeys.js';

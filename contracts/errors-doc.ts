import { ERROR_CATALOG } from './errors.js';

/** docs/errors.md, generated from the catalog (`npm run docs:errors`); a test keeps them in step. */
export function renderErrorsDoc(): string {
  const rows = Object.entries(ERROR_CATALOG)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, spec]) => `| \`${code}\` | ${spec.status} | ${spec.description.replaceAll('|', '\\|')} |`);
  return [
    '# Error codes',
    '',
    'Every error response has the body `{ "code": "…", "message": "…", "requestId": "…" }`.',
    '`code` is stable: clients may branch on it. `message` is for people and may change.',
    '`requestId` matches the `x-request-id` header and the server log line.',
    'WebSocket errors arrive as `{ "T": "error", "code": "…", "msg": "…" }`.',
    '',
    'Generated from `contracts/errors/*.ts` by `npm run docs:errors`; do not edit by hand.',
    '',
    '| code | HTTP status | meaning |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

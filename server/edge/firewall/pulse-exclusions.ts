import type { FieldExclusion } from './exclusions.js';

const FREE_TEXT_FIELDS = [
  'note',
  'notes',
  'name',
  'display_name',
  'description',
  'title',
  'message',
  'comment',
  'label',
  'body',
];

/**
 * Pulse's own per-field exclusions. Signal expressions are checked by the rule parser in core/signals, so the
 * SQL rules (which read `sma(close, 50) and rsi(14) < 70` as SQL) skip them; free-text fields keep only
 * high-confidence rules; passwords are hashed and never reach SQL or a shell; webhook URLs point off-site on purpose.
 */
export const PULSE_EXCLUSIONS: readonly FieldExclusion[] = [
  { route: '* /api/v1/signals', field: 'body.expression', skip: ['sqli', 'node.eval-like'] },
  { route: '* /api/v1/signals/:id', field: 'body.expression', skip: ['sqli', 'node.eval-like'] },
  { route: '* /api/v1/signals/validate', field: 'body.expression', skip: ['sqli', 'node.eval-like'] },
  { route: '* /api/v1/backtests', field: 'body.expression', skip: ['sqli', 'node.eval-like'] },
  { route: '* /api/**', field: 'body.expression', freeText: true },
  ...FREE_TEXT_FIELDS.flatMap((field): FieldExclusion[] => [
    { route: '* /api/**', field: `body.${field}`, freeText: true },
    { route: '* /api/**', field: `body.*.${field}`, freeText: true },
    { route: '* /api/**', field: `body.*[*].${field}`, freeText: true },
  ]),
  { route: '* /api/**', field: 'body.password', freeText: true },
  { route: '* /api/**', field: 'body.new_password', freeText: true },
  { route: '* /api/**', field: 'body.current_password', freeText: true },
  { route: 'GET /api/v1/assets', field: 'query.search', freeText: true },
  { route: '* /api/**', field: 'body.webhook_url', skip: ['rfi.off-domain'] },
  { route: '* /api/**', field: 'body.channels[*].url', skip: ['rfi.off-domain'] },
  // An OIDC provider's redirect back names its issuer (RFC 9207), a URL that openid-client checks
  // against the configured one; the error description is the provider's free text.
  { route: 'GET /api/v1/auth/oidc/:provider/callback', field: 'query.iss', skip: ['rfi', 'ssrf'] },
  { route: 'GET /api/v1/auth/oidc/:provider/callback', field: 'query.error_description', freeText: true },
];

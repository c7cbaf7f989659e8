import { fieldRule, patternRule } from '../rule.js';
import type { FieldRule } from '../types.js';

const SESSION_NAMES =
  'jsessionid|phpsessid|phpsession|aspsessionid\\w*|asp\\.net_sessionid|sessionid|session-id|session_id|_session_id|sid|cfid|cftoken|cfsid|jservsession|jwsession|laravel_session|connect\\.sid|_flask_session|(?:__host-|__secure-)?next-auth\\.session-token|meteor_login_token|rack\\.session|play_session|sails\\.sid|cakephp|ci_session|koa[.:]sess|zend_session_id|shiny-token|weblogicsession|_rails_session';

const SESSION_NAME = new RegExp(`^(?:${SESSION_NAMES})$`);

/** Session fixation: session identifiers passed as arguments, or cookie-setting script. */
export const SESSION_RULES: readonly FieldRule[] = [
  fieldRule({
    id: 'session.id-argument',
    family: 'session',
    severity: 'critical',
    paranoia: 1,
    kinds: ['query', 'form', 'json', 'multipart'],
    plain: true,
    message: 'Session fixation: session identifier passed as an argument',
    match: (target) => (target.isKey && SESSION_NAME.test(target.value) ? target.value : undefined),
  }),
  patternRule({
    id: 'session.set-cookie',
    family: 'session',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'Session fixation: script that sets a cookie',
    pattern: /\.cookie\b.*?;\W*?(?:expires|domain)\W*?=|\bhttp-equiv\W+set-cookie\b/,
  }),
];

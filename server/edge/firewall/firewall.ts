import { collectBody, collectHead, type HeadContext } from './collect-targets.js';
import {
  allows,
  compileExclusions,
  type ExclusionSet,
  type FieldExclusion,
  type FieldPolicy,
} from './exclusions.js';
import { DEFAULT_LIMITS, type FirewallLimits } from './parse-args.js';
import { isSecretField, redact } from './redact.js';
import {
  DEFAULT_CONTENT_TYPES,
  DEFAULT_METHODS,
  FIELD_RULES,
  protocolRules,
  SCANNER_RULES,
} from './rules/index.js';
import { isBoring } from './target.js';
import {
  SEVERITY_SCORE,
  type FieldRule,
  type InspectedRequest,
  type Paranoia,
  type RequestRule,
  type RuleMatch,
  type Target,
  type TargetKind,
  type Verdict,
} from './types.js';

/** Options of `createFirewall`; every field has a default. */
export interface FirewallOptions {
  /** `block` (default) answers `block` at or above the threshold; `detect` always answers `allow` but still reports matches. */
  mode?: 'block' | 'detect';
  /** 1 (default) to 4. */
  paranoia?: Paranoia;
  /** Anomaly score at which a request is blocked (default 5: one critical rule). */
  inboundThreshold?: number;
  /** Rule ids or families to turn off. */
  disabledRules?: readonly string[];
  /** Rule ids or families to run whatever the paranoia level. */
  enabledRules?: readonly string[];
  exclusions?: readonly FieldExclusion[];
  limits?: Partial<FirewallLimits>;
  allowedMethods?: readonly string[];
  allowedContentTypes?: readonly string[];
  /** Distinct header values, paths and short arguments whose rule hits are remembered (default 2048; 0 turns the cache off). */
  headerCacheSize?: number;
  /** Distinct bodiless requests without credentials whose verdicts are remembered (default 2048; 0 turns it off). */
  verdictCacheSize?: number;
}

const NO_RULES: readonly FieldRule[] = [];
const NO_HITS: readonly { rule: FieldRule; matched: string }[] = [];

/** Header names (or `headers.<name>` fields) that may carry a credential, as worked out once per name. */
const secretHeaders = new Map<string, boolean>();

/** True when the header (a name, or its `headers.<name>` field) may carry a credential: never remembered. */
function isSecretHeader(nameOrField: string): boolean {
  let secret = secretHeaders.get(nameOrField);
  if (secret === undefined) {
    const lower = nameOrField.toLowerCase();
    secret = isSecretField(lower.startsWith('headers.') ? lower : `headers.${lower}`);
    if (secretHeaders.size < 1_024) secretHeaders.set(nameOrField, secret);
  }
  return secret;
}

/** Arguments longer than this (free text, documents) never have their rule hits remembered. */
const MAX_CACHED_ARGUMENT = 256;

/** Requests longer than this (URL and headers) are never remembered. */
const MAX_KEY_LENGTH = 8_192;

type Hits = readonly { rule: FieldRule; matched: string }[];

/**
 * A request's head (method, URL and headers), parsed and with its field-rule hits found: a body sent with the
 * same head is judged against it without parsing the head again. Opaque; it holds the head's values, so it is
 * kept only where the request itself lives (its connection).
 */
export interface JudgedHead {
  readonly context: HeadContext;
  readonly exclusions: ExclusionSet;
  /** The hits of each of the head's targets, in the same order. */
  readonly hits: readonly Hits[];
  /** Per request rule (same order): its hit when it reads the head only (`headOnly`); none when nothing hit. */
  readonly ruleHits: readonly RuleHit[] | undefined;
}

type RuleHit = ReturnType<RequestRule['check']>;

/** A compiled firewall: a pure function from request to verdict. */
export interface Firewall {
  readonly mode: 'block' | 'detect';
  readonly paranoia: Paranoia;
  readonly threshold: number;
  /** Ids of the rules that run, for listings and metrics. */
  readonly ruleIds: readonly string[];
  inspect(request: InspectedRequest): Verdict;
  /** Judges a request's head; its body, if any, is ignored. */
  inspectHead(request: InspectedRequest): JudgedHead;
  /** The verdict on the request `head` came from sent with `body`: what `inspect` answers for that request. */
  inspectBody(head: JudgedHead, body: InspectedRequest['body']): Verdict;
}

function selected(
  rule: { id: string; family: string; paranoia: number },
  paranoia: number,
  off: ReadonlySet<string>,
  on: ReadonlySet<string>,
): boolean {
  if (off.has(rule.id) || off.has(rule.family)) return false;
  return rule.paranoia <= paranoia || on.has(rule.id) || on.has(rule.family);
}

/** A rule counts once per request (its first match); matches are few, so no set is kept. */
function fired(matches: readonly RuleMatch[], ruleId: string): boolean {
  for (const match of matches) if (match.ruleId === ruleId) return true;
  return false;
}

function toMatch(rule: FieldRule | RequestRule, field: string, matched: string): RuleMatch {
  return {
    ruleId: rule.id,
    family: rule.family,
    severity: rule.severity,
    score: SEVERITY_SCORE[rule.severity],
    paranoia: rule.paranoia,
    message: rule.message,
    field,
    matched: redact(field, matched),
  };
}

/** Compiles the rule set once and returns the inspecting engine (no I/O, no framework types). */
export function createFirewall(options: FirewallOptions = {}): Firewall {
  const mode = options.mode ?? 'block';
  const paranoia = options.paranoia ?? 1;
  const threshold = options.inboundThreshold ?? 5;
  const limits: FirewallLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const off = new Set(options.disabledRules ?? []);
  const on = new Set(options.enabledRules ?? []);
  const requestRules = [
    ...protocolRules({
      allowedMethods: options.allowedMethods ?? DEFAULT_METHODS,
      allowedContentTypes: options.allowedContentTypes ?? DEFAULT_CONTENT_TYPES,
    }),
    ...SCANNER_RULES,
  ].filter((r) => selected(r, paranoia, off, on));
  const fieldRules = FIELD_RULES.filter((r) => selected(r, paranoia, off, on));
  // Per kind (and 'standard' for fixed-syntax headers): every rule, and the few that also run on plain values.
  const rulesByKind = new Map<string, { all: readonly FieldRule[]; plain: readonly FieldRule[] }>();
  for (const kind of [
    'path',
    'query',
    'form',
    'json',
    'multipart',
    'xml',
    'raw',
    'header',
    'cookie',
    'filename',
  ] as const) {
    const rules = fieldRules.filter((r) => r.kinds.has(kind));
    rulesByKind.set(kind, { all: rules, plain: rules.filter((r) => r.plain) });
  }
  rulesByKind.set('standard', {
    all: fieldRules.filter((r) => r.kinds.has('header') && r.allHeaders),
    plain: [],
  });
  const exclusionsFor = compileExclusions(options.exclusions ?? []);
  // Header values and paths repeat across requests (one browser, one User-Agent, a few routes), and so do most
  // arguments (a symbol, `buy`, `limit`, `day`): their field-rule hits are cached by field and raw value. The rules a
  // target gets are a function of its kind, whether it is a name or a value, its field and its raw value, so a hit
  // is exact: header and path fields belong to one kind, so one map serves them; query, JSON and form arguments have
  // a map per kind, one for names and one for values. Long values (free text) and fields that may hold a credential
  // are never kept.
  type ByField = Map<string, Map<string, Hits>>;
  const headerCache: ByField = new Map();
  const argumentCaches = new Map<TargetKind, readonly [values: ByField, names: ByField]>(
    (['query', 'json', 'form'] as const).map((kind) => [kind, [new Map(), new Map()]]),
  );
  let cached = 0;
  const cacheSize = options.headerCacheSize ?? 2048;
  const cacheFor = (target: Target, policy: FieldPolicy | undefined): ByField | undefined => {
    if (policy !== undefined || cacheSize === 0) return undefined;
    if (target.kind === 'path') return headerCache;
    if (target.kind === 'header') return isSecretHeader(target.field) ? undefined : headerCache;
    const caches = argumentCaches.get(target.kind);
    if (caches === undefined || target.raw.length > MAX_CACHED_ARGUMENT || isSecretField(target.field))
      return undefined;
    return caches[target.isKey ? 1 : 0];
  };
  const forgetAll = (): void => {
    headerCache.clear();
    for (const [values, names] of argumentCaches.values()) {
      values.clear();
      names.clear();
    }
    cached = 0;
  };

  // The rules a policy lets run, per rule list: worked out once per policy (policies are memoised per field).
  const underPolicy = new WeakMap<FieldPolicy, Map<readonly FieldRule[], readonly FieldRule[]>>();
  function rulesUnder(policy: FieldPolicy | undefined, rules: readonly FieldRule[]): readonly FieldRule[] {
    if (policy === undefined) return rules;
    let lists = underPolicy.get(policy);
    if (lists === undefined) underPolicy.set(policy, (lists = new Map()));
    let list = lists.get(rules);
    if (list === undefined) lists.set(rules, (list = rules.filter((rule) => allows(policy, rule))));
    return list;
  }

  function runRules(
    target: Target,
    rules: readonly FieldRule[],
    policy: FieldPolicy | undefined,
  ): { rule: FieldRule; matched: string }[] {
    const hits: { rule: FieldRule; matched: string }[] = [];
    for (const rule of rulesUnder(policy, rules)) {
      const matched = rule.match(target);
      if (matched !== undefined) hits.push({ rule, matched });
    }
    return hits;
  }

  // Bodiless requests repeat (dashboards and bots poll the same URLs with the same headers): their verdicts are
  // remembered by the request's exact bytes. The engine is a pure function of them, so a hit is exact.
  const verdicts = new Map<string, Verdict>();
  const verdictCacheSize = options.verdictCacheSize ?? 2048;

  // A request carrying a credential (Authorization, a cookie, an API key) is never remembered: its key would hold
  // the secret. The plugin remembers such a request per connection instead, where it already lives.
  function requestKey(request: InspectedRequest): string | undefined {
    if (verdictCacheSize === 0 || request.body !== undefined || request.cookies !== undefined)
      return undefined;
    let key = `${request.method} ${request.path}?${request.query}`;
    for (const name of Object.keys(request.headers)) {
      if (isSecretHeader(name)) return undefined;
      const value = request.headers[name];
      key += `\n${name}:${Array.isArray(value) ? value.join('\u0000') : (value ?? '')}`;
    }
    return key.length > MAX_KEY_LENGTH ? undefined : key;
  }

  function inspect(request: InspectedRequest): Verdict {
    const key = requestKey(request);
    const known = key === undefined ? undefined : verdicts.get(key);
    if (known) return known;
    const verdict = inspectOnce(request);
    if (key !== undefined) {
      if (verdicts.size >= verdictCacheSize) verdicts.clear();
      verdicts.set(key, verdict);
    }
    return verdict;
  }

  /** The field-rule hits of one target: remembered by field and raw value where that is safe. */
  function hitsOf(target: Target, exclusions: ExclusionSet): Hits {
    const policy = exclusions.forField(target.field);
    const cache = cacheFor(target, policy);
    // Two levels (field, then raw value): no key string is built and hashed per target.
    let byValue = cache?.get(target.field);
    let hits = byValue?.get(target.raw);
    if (hits !== undefined) return hits;
    const kind = target.standardHeader ? 'standard' : target.kind;
    const forKind = rulesByKind.get(kind);
    const rules = (isBoring(target) ? forKind?.plain : forKind?.all) ?? NO_RULES;
    hits = rules.length === 0 ? NO_HITS : runRules(target, rules, policy);
    if (cache !== undefined) {
      if (cached >= cacheSize) {
        forgetAll();
        byValue = undefined;
      }
      if (byValue === undefined) cache.set(target.field, (byValue = new Map()));
      byValue.set(target.raw, hits);
      cached++;
    }
    return hits;
  }

  /** The hits of the head-only request rules, by rule index; undefined when none hit (nearly every request). */
  function headRuleHits(context: HeadContext): RuleHit[] | undefined {
    let hits: RuleHit[] | undefined;
    for (let i = 0; i < requestRules.length; i++) {
      const rule = requestRules[i]!;
      const hit = rule.headOnly ? rule.check(context) : undefined;
      if (hit !== undefined) (hits ??= [])[i] = hit;
    }
    return hits;
  }

  function inspectHead(request: InspectedRequest): JudgedHead {
    const context = collectHead(request, limits);
    const exclusions = exclusionsFor(
      request.method.toUpperCase(),
      context.targets[0]?.decoded ?? request.path,
    );
    return {
      context,
      exclusions,
      hits: context.targets.map((target) => hitsOf(target, exclusions)),
      ruleHits: headRuleHits(context),
    };
  }

  /** Judges `body` against `head`; an `owned` head (judged for this request alone) is extended in place. */
  function inspectBody(head: JudgedHead, body: InspectedRequest['body'], owned = false): Verdict {
    const context = collectBody(head.context, body, limits, owned);
    const matches: RuleMatch[] = [];
    for (let i = 0; i < requestRules.length; i++) {
      const rule = requestRules[i]!;
      const hit = rule.headOnly ? head.ruleHits?.[i] : rule.check(context);
      if (hit && !fired(matches, rule.id)) matches.push(toMatch(rule, hit.field, hit.matched));
    }
    const { targets } = context;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i]!;
      const hits = head.hits[i] ?? hitsOf(target, head.exclusions);
      for (const { rule, matched } of hits)
        if (!fired(matches, rule.id)) matches.push(toMatch(rule, target.field, matched));
    }
    let score = 0;
    for (const match of matches) score += match.score;
    const action = mode === 'block' && score >= threshold ? 'block' : 'allow';
    return { action, score, matches };
  }

  const inspectOnce = (request: InspectedRequest): Verdict =>
    inspectBody(inspectHead(request), request.body, true);

  return {
    mode,
    paranoia,
    threshold,
    ruleIds: [...requestRules, ...fieldRules].map((r) => r.id),
    inspect,
    inspectHead,
    inspectBody: (head, body) => inspectBody(head, body),
  };
}

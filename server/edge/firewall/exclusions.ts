import type { FieldRule } from './types.js';

/**
 * Turns rules off for one field of one route: `{ route: 'POST /api/v1/signals', field: 'body.expression', skip: ['sqli'] }`.
 * `route` is `METHOD /path` (`*` for any method; `:param` and `*` segments), `field` a field path where `*` matches one
 * segment and `[*]` any array index. `skip` lists rule ids or families (`'*'` for all); `freeText` keeps only high-confidence rules.
 */
export interface FieldExclusion {
  route: string;
  field: string;
  skip?: readonly string[];
  freeText?: boolean;
}

/** What the exclusions say about one field: rules or families to skip, and whether it is free text. */
export interface FieldPolicy {
  skip: ReadonlySet<string>;
  freeText: boolean;
}

/** The exclusions that apply to one request, ready to query per field. */
export interface ExclusionSet {
  /** Undefined when no exclusion names the field. */
  forField(field: string): FieldPolicy | undefined;
}

/** True when a rule may run on a field under its policy. */
export function allows(policy: FieldPolicy | undefined, rule: FieldRule): boolean {
  if (policy === undefined) return true;
  if (policy.skip.has('*') || policy.skip.has(rule.id) || policy.skip.has(rule.family)) return false;
  return !policy.freeText || rule.highConfidence;
}

interface Compiled {
  method: string;
  path: RegExp;
  field: RegExp;
  /** Literal start and end of the field pattern, checked before the regex. */
  prefix: string;
  suffix: string;
  skip: ReadonlySet<string>;
  freeText: boolean;
}

const NONE: ExclusionSet = { forField: () => undefined };

function escape(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\*]/g, '\\$&');
}

function compileRoute(route: string): { method: string; path: RegExp } {
  const space = route.indexOf(' ');
  const method = space === -1 ? '*' : route.slice(0, space).toUpperCase();
  const path = (space === -1 ? route : route.slice(space + 1)).trim();
  const source = path
    .split('/')
    .map((segment) =>
      segment === '*'
        ? '[^/]+'
        : segment === '**'
          ? '.*'
          : segment.startsWith(':')
            ? '[^/]+'
            : escape(segment),
    )
    .join('/');
  return { method, path: new RegExp(`^${source}/?$`) };
}

function compileField(field: string): RegExp {
  let source = '';
  for (let i = 0; i < field.length; i++) {
    if (field.startsWith('[*]', i)) {
      source += '\\[\\d+\\]';
      i += 2;
    } else if (field[i] === '*') source += '[^.\\[]*';
    else source += escape(field[i] ?? '');
  }
  return new RegExp(`^${source}(?:#headers)?$`, 'i');
}

/** Compiles exclusions once; `forRequest` then picks those whose route matches. */
export function compileExclusions(
  exclusions: readonly FieldExclusion[],
): (method: string, path: string) => ExclusionSet {
  const compiled: Compiled[] = exclusions.map((e) => ({
    ...compileRoute(e.route),
    field: compileField(e.field),
    prefix: e.field.split('*')[0]?.split('[')[0]?.toLowerCase() ?? '',
    suffix: e.field.includes('*') ? (e.field.split('*').pop()?.split(']').pop()?.toLowerCase() ?? '') : '',
    skip: new Set(e.skip ?? []),
    freeText: e.freeText ?? false,
  }));
  if (compiled.length === 0) return () => NONE;
  // Requests to the same routes share their active exclusions and ask about the same fields (headers, body keys):
  // each distinct active set keeps a bounded memo of field → policy, so a lookup is usually one Map hit.
  const sets = new Map<string, ExclusionSet>();
  // Which exclusions a route has is remembered too (bounded: paths carry ids).
  const signatures = new Map<string, string>();
  return (method, path) => {
    const route = `${method} ${path}`;
    let signature = signatures.get(route);
    if (signature === undefined) {
      signature = '';
      for (let i = 0; i < compiled.length; i++) {
        const c = compiled[i]!;
        if ((c.method === '*' || c.method === method) && c.path.test(path)) signature += `${i},`;
      }
      if (signatures.size >= MAX_FIELDS) signatures.clear();
      signatures.set(route, signature);
    }
    if (signature === '') return NONE;
    let set = sets.get(signature);
    if (!set) {
      const active = signature
        .slice(0, -1)
        .split(',')
        .map((i) => compiled[Number(i)]!);
      set = memoised(active);
      if (sets.size >= MAX_ACTIVE_SETS) sets.clear();
      sets.set(signature, set);
    }
    return set;
  };
}

/** Distinct active-exclusion combinations remembered (there are as many as route families, a handful). */
const MAX_ACTIVE_SETS = 256;
/** Distinct field names remembered per combination; the memo starts over when full. */
const MAX_FIELDS = 4096;

function memoised(active: readonly Compiled[]): ExclusionSet {
  const memo = new Map<string, FieldPolicy | null>();
  // A field that starts with none of the active patterns' literal prefixes (most headers, on most routes) cannot
  // match: it is answered without building or hashing a memo key.
  const prefixes = [...new Set(active.map((c) => c.prefix))];
  return {
    forField(field) {
      if (!prefixes.some((prefix) => startsWithIgnoringCase(field, prefix))) return undefined;
      const known = memo.get(field);
      if (known !== undefined) return known ?? undefined;
      const policy = policyFor(active, field);
      if (memo.size >= MAX_FIELDS) memo.clear();
      memo.set(field, policy ?? null);
      return policy;
    },
  };
}

/**
 * False only when `field.toLowerCase()` cannot start with the lower-case `prefix` (ASCII compared without
 * lower-casing the field); a non-ASCII character, which lower-casing may turn into ASCII, answers true.
 */
function startsWithIgnoringCase(field: string, prefix: string): boolean {
  for (let i = 0; i < prefix.length; i++) {
    if (i >= field.length) return false;
    const c = field.charCodeAt(i);
    if (c > 127) return true;
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== prefix.charCodeAt(i)) return false;
  }
  return true;
}

function policyFor(active: readonly Compiled[], field: string): FieldPolicy | undefined {
  let policy: { skip: Set<string>; freeText: boolean } | undefined;
  const lower = field.toLowerCase();
  for (const c of active) {
    if (
      !lower.startsWith(c.prefix) ||
      !(lower.endsWith(c.suffix) || lower.endsWith(`${c.suffix}#headers`)) ||
      !c.field.test(field)
    )
      continue;
    policy ??= { skip: new Set(), freeText: false };
    for (const id of c.skip) policy.skip.add(id);
    policy.freeText ||= c.freeText;
  }
  return policy;
}

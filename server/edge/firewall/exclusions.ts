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
  return (method, path) => {
    const active = compiled.filter((c) => (c.method === '*' || c.method === method) && c.path.test(path));
    if (active.length === 0) return NONE;
    return {
      forField(field) {
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
      },
    };
  };
}

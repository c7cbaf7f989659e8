/** Severity of a rule: how much it adds to a request's anomaly score. */
export type Severity = 'critical' | 'error' | 'warning' | 'notice';

/** Anomaly points per severity, as in the OWASP Core Rule Set. */
export const SEVERITY_SCORE: Readonly<Record<Severity, number>> = {
  critical: 5,
  error: 4,
  warning: 3,
  notice: 2,
};

/** Paranoia level: 1 runs only the most precise rules, 4 runs everything. */
export type Paranoia = 1 | 2 | 3 | 4;

/** Rule families; an exclusion may skip a whole family by name. */
export type RuleFamily =
  | 'protocol'
  | 'scanner'
  | 'sqli'
  | 'xss'
  | 'lfi'
  | 'rfi'
  | 'rce'
  | 'php'
  | 'node'
  | 'java'
  | 'template'
  | 'ssrf'
  | 'nosql'
  | 'prototype'
  | 'crlf'
  | 'jndi'
  | 'session';

/** A request as the engine sees it: no framework types. */
export interface InspectedRequest {
  method: string;
  /** Path without the query string, still percent-encoded. */
  path: string;
  /** Raw query string without the leading `?`. */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed cookies; when absent the Cookie header is parsed. */
  cookies?: Record<string, string>;
  body?: string | Buffer;
  contentType?: string;
}

/** Where a value came from; rules choose which kinds they inspect. */
export type TargetKind =
  'path' | 'query' | 'form' | 'json' | 'multipart' | 'xml' | 'raw' | 'header' | 'cookie' | 'filename';

/** One inspected value (or argument name) of a request, with its normalised forms. */
export interface Target {
  kind: TargetKind;
  /** Field path used by exclusions and reports: `query.symbols`, `body.orders[0].note`, `headers.user-agent`. */
  field: string;
  /** True when the value is an argument name or JSON key rather than a value. */
  isKey: boolean;
  /** As received after the transport decoding of its container (one URL decode for query and form). */
  raw: string;
  /** `raw` after further URL, entity, unicode-escape and full-width decoding; case kept. */
  readonly decoded: string;
  /** `decoded` lower-cased, NUL-stripped, SQL comments removed and whitespace collapsed. */
  readonly value: string;
  /** A header that browsers send with fixed syntax (Accept, sec-ch-ua…): only header-wide rules see it. */
  standardHeader: boolean;
  /** SQL fingerprints (as is, after `'`, after `"`), computed on first use by the SQL rules. */
  sql?: readonly [string, string, string];
}

/** A rule that looks at one target at a time. */
export interface FieldRule {
  readonly id: string;
  readonly family: RuleFamily;
  readonly severity: Severity;
  readonly paranoia: Paranoia;
  readonly message: string;
  /** Precise enough for free-text fields (notes, names) that keep only high-confidence rules. */
  readonly highConfidence: boolean;
  readonly kinds: ReadonlySet<TargetKind>;
  /** Also runs on standard headers such as Accept (JNDI, shellshock, CRLF). */
  readonly allHeaders: boolean;
  /** Also runs on plain identifiers and numbers (session-id names, `prototype` keys), which other rules skip. */
  readonly plain: boolean;
  /** The matched fragment, or undefined. */
  match(target: Target): string | undefined;
}

/** What a request-level rule sees: the request plus what parsing found. */
export interface RequestContext {
  request: InspectedRequest;
  method: string;
  headers: ReadonlyMap<string, string[]>;
  targets: readonly Target[];
  problems: readonly ParseProblem[];
  bodyLength: number;
}

/** A structural problem found while parsing, reported by protocol rules. */
export interface ParseProblem {
  kind:
    | 'invalid-encoding'
    | 'invalid-json'
    | 'invalid-multipart'
    | 'too-many-args'
    | 'arg-name-too-long'
    | 'arg-too-long'
    | 'too-deep'
    | 'body-too-large';
  field: string;
  detail: string;
}

/** A rule that looks at the whole request (methods, framing, limits, user agents). */
export interface RequestRule {
  readonly id: string;
  readonly family: RuleFamily;
  readonly severity: Severity;
  readonly paranoia: Paranoia;
  readonly message: string;
  /**
   * True when the rule reads only the request's head (method, path, query and headers), never its body or
   * what parsing the body found: it is checked once per head, and a body sent with that head reuses the answer.
   */
  readonly headOnly?: boolean;
  check(context: RequestContext): { field: string; matched: string } | undefined;
}

/** One rule that fired, with redacted matched data. */
export interface RuleMatch {
  ruleId: string;
  family: RuleFamily;
  severity: Severity;
  score: number;
  paranoia: Paranoia;
  message: string;
  field: string;
  /** The matched fragment, truncated; secrets (cookies, authorization) are replaced by `[redacted]`. */
  matched: string;
}

/** The verdict on one request. */
export interface Verdict {
  action: 'block' | 'allow';
  score: number;
  matches: RuleMatch[];
}

import { fieldRule, patternRule } from '../rule.js';
import { sqlFingerprint } from '../sql-tokenizer.js';
import type { FieldRule, Target } from '../types.js';

// Shapes anchored at the start of a fingerprint (see sql-tokenizer.ts for the letters). `strong`
// shapes need a broken-out string or a UNION…SELECT, so free text keeps them; `weak` ones begin
// with a bare number or a clause and are left to structured fields.
const STRONG_SHAPES =
  /U[k(]*E|^s\)*&[1svf(]|^s\)*&n[o)]|^s\)*;[Ekn]|^s\)*U|^1\)*;E|^[1s]\)*&f\(|^s\)*o[1sv]\)*&|^s\)*B[kn1]/;
const WEAK_SHAPES =
  /^s\)*c|^1\)*&[1svf(]|^1\)*U|^[1s]\)*B|^E[o1v(f]|^E[n1o,]*k|^1\)*;|^s\)*o[1sfv(]\)*[c;]|^\)+[&;]|^s\)*k[nfs1]|^1\)*k[fn]/;

// Raw-context shapes all start with a literal, a parenthesis, a variable or a statement keyword.
const RAW_START =
  /^[\s(]*(?:[0-9.'"()@-]|(?:select|insert|update|delete|drop|create|alter|truncate|exec|execute|declare|shutdown|waitfor|union|grant)\b)/;

function fingerprints(target: Target): readonly [string, string, string] {
  const value = target.value;
  target.sql ??= [
    RAW_START.test(value) ? sqlFingerprint(value) : '',
    value.includes("'") ? sqlFingerprint(value, "'") : '',
    value.includes('"') ? sqlFingerprint(value, '"') : '',
  ];
  return target.sql;
}

function shapeMatcher(shapes: RegExp): (target: Target) => string | undefined {
  return (target) => {
    const value = target.value;
    if (value.length < 2) return undefined;
    for (const print of fingerprints(target)) {
      if (print.length > 1 && shapes.test(print)) return `${value.slice(0, 48)} [${print}]`;
    }
    return undefined;
  };
}

const SQL_FUNCTIONS =
  'abs|ascii|benchmark|bin|bit_length|char|chr|coalesce|compress|concat(?:_ws)?|conv|convert|cos|cot|count|current_user|database|dbms_\\w+|elt|exp|export_set|extractvalue|field|find_in_set|floor|format|from_base64|geometrycollection|get_lock|group_concat|gtid_subset|hex|if|ifnull|inet6?_aton|insert|instr|is_srv_rolemember|isnull|json_\\w+|jsonb_\\w+|lcase|left|length|load_file|locate|lower|lpad|ltrim|make_set|master_pos_wait|md5|mid|name_const|nullif|oct|ord|pg_\\w+|polygon|pow|power|quote|rand|randomblob|repeat|replace|reverse|right|round|row_count|rpad|rtrim|schema|session_user|sha1|sha2|sleep|soundex|space|sqrt|strcmp|subdate|substr|substring(?:_index)?|sys_context|system_user|tan|to_base64|uncompress|unhex|updatexml|upper|user|utl_\\w+|uuid|version|xmltype';

/** SQL injection: structural fingerprints plus high-signal keyword patterns. */
export const SQLI_RULES: readonly FieldRule[] = [
  fieldRule({
    id: 'sqli.structure-strong',
    family: 'sqli',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'SQL injection: value breaks out of a string or unions a SELECT',
    match: shapeMatcher(STRONG_SHAPES),
  }),
  fieldRule({
    id: 'sqli.structure',
    family: 'sqli',
    severity: 'critical',
    paranoia: 1,
    message: 'SQL injection: value starts like a SQL clause or tautology',
    match: shapeMatcher(WEAK_SHAPES),
  }),
  patternRule({
    id: 'sqli.union-select',
    family: 'sqli',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'SQL injection: UNION … SELECT',
    pattern: /\bunion\b(?:\s|\(|all|distinct)*\bselect\b/,
  }),
  patternRule({
    id: 'sqli.time-based',
    family: 'sqli',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'SQL injection: time-based blind probe',
    pattern:
      /\b(?:sleep|benchmark|pg_sleep|dbms_lock\.sleep|dbms_pipe\.receive_message)\s*\(\s*[\d'"(@]|\bwaitfor\s+(?:delay|time)\s+['"\d]/,
  }),
  patternRule({
    id: 'sqli.catalog',
    family: 'sqli',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'SQL injection: system catalog or dangerous procedure',
    pattern:
      /\binformation_schema\b|\bmysql\.(?:user|db)\b|\bsys(?:objects|columns|users|\.(?:objects|tables|columns|databases))\b|\bpg_(?:shadow|user|catalog|tables|database)\b|\bsqlite_(?:master|schema)\b|\bxp_(?:cmdshell|regread|dirtree)\b|\bsp_(?:executesql|oacreate|password)\b|\butl_(?:http|inaddr|file)\b|\binto\s+(?:out|dump)file\b|@@(?:version|datadir|hostname|basedir|servername)\b/,
  }),
  patternRule({
    id: 'sqli.function-call',
    family: 'sqli',
    severity: 'critical',
    paranoia: 1,
    message: 'SQL injection: SQL function call',
    pattern: new RegExp(`(?:^|[^a-z0-9_.])(?:${SQL_FUNCTIONS})\\s*\\(`),
  }),
  patternRule({
    id: 'sqli.quote-logic',
    family: 'sqli',
    severity: 'critical',
    paranoia: 1,
    message: 'SQL injection: quote followed by a boolean operator',
    pattern:
      /['"`]\s*(?:\)\s*)*(?:or|and|xor|&&|\|\||div|like|rlike|regexp|sounds\s+like)\b\s*[\w'"`(@!-]|['"`]\s*(?:=|<>|!=)\s*['"`]|['"`]\s*;\s*(?:select|insert|update|delete|drop|exec|declare|shutdown)\b/,
  }),
  patternRule({
    id: 'sqli.tautology',
    family: 'sqli',
    severity: 'critical',
    paranoia: 1,
    message: 'SQL injection: numeric or string tautology',
    pattern:
      /\b(?:or|and|xor|having|where)\s+(?:'[^']*'|"[^"]*"|\d+|true|false|null)\s*(?:=|<=?>|!=|<>|<|>|like|is(?:\s+not)?)\s*(?:'[^']*'|"[^"]*"|\d+|true|false|null)/,
  }),
  patternRule({
    id: 'sqli.postgres-json',
    family: 'sqli',
    severity: 'critical',
    paranoia: 1,
    message: 'SQL injection: PostgreSQL cast or JSON operator',
    pattern:
      /['")]\s*::\s*(?:jsonb?|text|int\w*|varchar|regclass|bool\w*)\b|['")]\s*(?:@>|<@|\?[|&]|#>>?|->>?|@@|@\?|#-)\s*['"\d(]/,
  }),
  patternRule({
    id: 'sqli.comment-evasion',
    family: 'sqli',
    severity: 'critical',
    paranoia: 1,
    on: 'decoded',
    message: 'SQL injection: comment used to hide SQL',
    pattern: /\/\*!\d*\s*\w|['"`]\s*(?:--|#)|\w\/\*.*?\*\/\w/i,
  }),
  patternRule({
    id: 'sqli.select-from',
    family: 'sqli',
    severity: 'critical',
    paranoia: 2,
    message: 'SQL injection: SELECT … FROM',
    pattern: /\bselect\b.{1,100}?\bfrom\b\s*[\w(`"[]/,
  }),
  patternRule({
    id: 'sqli.stacked',
    family: 'sqli',
    severity: 'critical',
    paranoia: 2,
    message: 'SQL injection: stacked or destructive statement',
    pattern:
      /;\s*(?:select|insert|update|delete|drop|create|alter|truncate|exec|declare|shutdown)\b|\b(?:drop|truncate|alter)\s+(?:table|database|schema|user)\b|\binsert\s+into\b|\bdelete\s+from\b/,
  }),
  patternRule({
    id: 'sqli.order-by',
    family: 'sqli',
    severity: 'warning',
    paranoia: 2,
    message: 'SQL injection: ORDER/GROUP BY probe',
    pattern: /\b(?:order|group)\s+by\s+(?:\d+|if\s*\(|\w+\s*(?:--|#|;))/,
  }),
];

import { checkArg, parseUrlEncoded, type FirewallLimits } from './parse-args.js';
import { makeTarget } from './target.js';
import type { ParseProblem, Target } from './types.js';

/** Where parsed body values go: targets, problems and the running argument count. */
export interface BodySink {
  targets: Target[];
  problems: ParseProblem[];
  limits: FirewallLimits;
  args: number;
}

const BOUNDARY = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i;
const DISPOSITION_NAME = /\bname\s*=\s*(?:"([^"]*)"|([^\s;]+))/i;
const DISPOSITION_FILE = /\bfilename\*?\s*=\s*(?:"([^"]*)"|([^\s;]+))/i;
const XML_VALUES = /"([^"]*)"|'([^']*)'|>([^<]+)</g;

function add(sink: BodySink, kind: Target['kind'], field: string, raw: string, isKey: boolean): void {
  sink.targets.push(makeTarget(kind, field, raw, isKey, sink.limits.inspectLength));
}

/** Walks parsed JSON, adding keys and string values with their JSON path (`body.orders[0].note`). */
export function walkJson(value: unknown, path: string, depth: number, sink: BodySink): void {
  if (depth > sink.limits.maxJsonDepth) {
    sink.problems.push({ kind: 'too-deep', field: path, detail: `depth ${depth}` });
    return;
  }
  if (typeof value === 'string') {
    sink.args++;
    checkArg(path, '', value, sink.limits, sink.problems);
    add(sink, 'json', path, value, false);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walkJson(value[i], `${path}[${i}]`, depth + 1, sink);
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const child = `${path}.${key}`;
      checkArg(child, key, '', sink.limits, sink.problems);
      add(sink, 'json', child, key, true);
      walkJson((value as Record<string, unknown>)[key], child, depth + 1, sink);
    }
  } else sink.args++;
}

/** Parses a JSON body; an unparsable one is reported and inspected as raw text. */
export function parseJsonBody(text: string, sink: BodySink): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    sink.problems.push({ kind: 'invalid-json', field: 'body', detail: text.slice(0, 32) });
    add(sink, 'raw', 'body', text, false);
    return;
  }
  walkJson(parsed, 'body', 0, sink);
}

/** Parses an `application/x-www-form-urlencoded` body. */
export function parseFormBody(text: string, sink: BodySink): void {
  sink.args += parseUrlEncoded(text, 'body', sink.problems, (name, value) => {
    const field = `body.${name}`;
    checkArg(field, name, value, sink.limits, sink.problems);
    add(sink, 'form', field, name, true);
    add(sink, 'form', field, value, false);
  });
}

/** Parses a `multipart/form-data` body: part values, part names and file names become targets. */
export function parseMultipartBody(text: string, contentType: string, sink: BodySink): void {
  const found = BOUNDARY.exec(contentType);
  const boundary = found?.[1] ?? found?.[2];
  if (!boundary) {
    sink.problems.push({ kind: 'invalid-multipart', field: 'body', detail: 'no boundary' });
    add(sink, 'raw', 'body', text, false);
    return;
  }
  const delimiter = `--${boundary}`;
  const sections = text.split(delimiter);
  if (sections.length < 3 || !sections[sections.length - 1]?.startsWith('--')) {
    sink.problems.push({ kind: 'invalid-multipart', field: 'body', detail: 'missing closing boundary' });
  }
  for (const section of sections.slice(1)) {
    if (section.startsWith('--')) break;
    const split = section.search(/\r?\n\r?\n/);
    const head = split === -1 ? section : section.slice(0, split);
    const content =
      split === -1
        ? ''
        : section
            .slice(split)
            .replace(/^\r?\n\r?\n/, '')
            .replace(/\r?\n$/, '');
    const disposition = /content-disposition:([^\r\n]*)/i.exec(head)?.[1] ?? '';
    const nameMatch = DISPOSITION_NAME.exec(disposition);
    const name = nameMatch?.[1] ?? nameMatch?.[2] ?? '';
    const fileMatch = DISPOSITION_FILE.exec(disposition);
    if (
      !disposition ||
      /content-transfer-encoding:/i.test(head) ||
      /[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(head)
    ) {
      sink.problems.push({
        kind: 'invalid-multipart',
        field: `body.${name}`,
        detail: 'malformed part headers',
      });
    }
    const field = `body.${name}`;
    sink.args++;
    checkArg(field, name, content, sink.limits, sink.problems);
    add(sink, 'multipart', field, name, true);
    add(sink, 'multipart', `${field}#headers`, head, false);
    add(sink, 'multipart', field, content, false);
    const filename = fileMatch?.[1] ?? fileMatch?.[2];
    if (filename !== undefined) add(sink, 'filename', `files.${name}`, filename, false);
  }
}

/** Extracts attribute values and text nodes of an XML body. */
export function parseXmlBody(text: string, sink: BodySink): void {
  XML_VALUES.lastIndex = 0;
  let found: RegExpExecArray | null;
  let count = 0;
  while ((found = XML_VALUES.exec(text)) !== null && count < sink.limits.maxArgs) {
    const value = found[1] ?? found[2] ?? found[3] ?? '';
    if (value.trim() === '') continue;
    add(sink, 'xml', 'body.xml', value, false);
    count++;
  }
  sink.args += count;
  add(sink, 'raw', 'body', text, false);
}

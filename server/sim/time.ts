import { invalidParameter } from './alpaca-error.js';

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** RFC 3339 UTC text of epoch ms, as Alpaca's data API prints it: `2024-03-12T15:00:00Z`, `...:00.123Z`. */
export function rfc3339(t: number): string {
  const iso = new Date(t).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/** Parses an RFC 3339 instant (any offset, up to 9 fractional digits) or a `YYYY-MM-DD` date (UTC midnight); null when neither. */
export function parseInstant(text: string): number | null {
  if (DATE.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(ms) ? null : ms;
  }
  const m = RFC3339.exec(text);
  if (!m) return null;
  const fraction = (m[2] ?? '').padEnd(3, '0').slice(0, 3);
  const ms = Date.parse(`${m[1]}.${fraction}${m[3]?.toUpperCase()}`);
  return Number.isNaN(ms) ? null : ms;
}

/** `parseInstant` for query parameter `name`, throwing Alpaca's 400 on bad input; undefined when absent. */
export function instantParam(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = parseInstant(text);
  if (ms === null)
    throw invalidParameter(
      `Invalid format for parameter ${name}: error parsing '${text}' as RFC3339 or 2006-01-02 time`,
    );
  return ms;
}

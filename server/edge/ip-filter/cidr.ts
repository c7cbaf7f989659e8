import net from 'node:net';

/** A parsed address: its family and its bits as one integer (IPv4-mapped IPv6 is folded to IPv4). */
export interface ParsedAddress {
  family: 4 | 6;
  value: bigint;
}

/** A CIDR block, compiled for matching. */
interface Block {
  family: 4 | 6;
  prefix: bigint;
  mask: bigint;
}

const MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

function parseV4(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseV6(text: string): bigint {
  // A dotted IPv4 tail (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`) becomes two hextets first.
  let body = text;
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(body);
  if (tail?.[1]) {
    const v4 = parseV4(tail[1]);
    body = `${body.slice(0, -tail[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = body.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(zeros).fill('0'), ...right].reduce(
    (acc, hextet) => (acc << 16n) | BigInt(parseInt(hextet, 16)),
    0n,
  );
}

/** Parses an IP address (a zone id such as `%eth0` is dropped); undefined when it is not one. */
export function parseAddress(address: string): ParsedAddress | undefined {
  const text = address.split('%')[0] ?? '';
  const family = net.isIP(text);
  if (family === 4) return { family: 4, value: parseV4(text) };
  if (family !== 6) return undefined;
  const mapped = MAPPED.exec(text);
  if (mapped?.[1]) return { family: 4, value: parseV4(mapped[1]) };
  const value = parseV6(text);
  // `::ffff:0102:0304` is the same mapped address written in hex.
  if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffff_ffffn };
  return { family: 6, value };
}

function parseBlock(cidr: string): Block {
  const [address = '', bits] = cidr.trim().split('/');
  const parsed = parseAddress(address);
  if (!parsed) throw new Error(`not an IP address or CIDR: '${cidr}'`);
  const written = net.isIP(address.split('%')[0] ?? '') === 6 ? 128 : 32;
  const width = parsed.family === 4 ? 32 : 128;
  let length = bits === undefined ? written : Number(bits);
  if (!/^\d{1,3}$/.test(bits ?? '0') || !Number.isInteger(length) || length < 0 || length > written)
    throw new Error(`bad prefix length in '${cidr}'`);
  // `::ffff:10.0.0.0/104` covers 10.0.0.0/8 once folded to IPv4.
  if (written === 128 && parsed.family === 4) {
    if (length < 96) throw new Error(`an IPv4-mapped block needs a prefix of at least 96: '${cidr}'`);
    length -= 96;
  }
  const all = (1n << BigInt(width)) - 1n;
  const mask = length === 0 ? 0n : (all << BigInt(width - length)) & all;
  return { family: parsed.family, prefix: parsed.value & mask, mask };
}

/** True when every entry is a valid address or CIDR block; else the first error message. */
export function validateCidrs(list: readonly string[]): true | string {
  for (const entry of list) {
    try {
      parseBlock(entry);
    } catch (error) {
      return (error as Error).message;
    }
  }
  return true;
}

/** A compiled list of CIDR blocks (IPv4, IPv6 and IPv4-mapped IPv6); throws on a malformed entry. */
export type CidrMatcher = (address: string) => boolean;

/** Compiles `list` once into a matcher; an unparsable address never matches. */
export function cidrMatcher(list: readonly string[]): CidrMatcher {
  const blocks = list.filter((entry) => entry.trim() !== '').map(parseBlock);
  const v4 = blocks.filter((b) => b.family === 4);
  const v6 = blocks.filter((b) => b.family === 6);
  return (address) => {
    const parsed = parseAddress(address);
    if (!parsed) return false;
    const candidates = parsed.family === 4 ? v4 : v6;
    return candidates.some((b) => (parsed.value & b.mask) === b.prefix);
  };
}

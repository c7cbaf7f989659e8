/**
 * A minimal RFC 6455 client for the fan-out benchmark: one TCP socket, the opening handshake (with the
 * accept key checked), masked text frames out, pongs to pings, and each received text frame's payload
 * handed over as a slice of a read buffer shared by all sockets (`onread`: no Buffer per read, no copy
 * unless a frame spans reads). Fragmented or binary frames are protocol errors, reported, never skipped.
 */
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Every socket reads into this buffer; each read is consumed before the next one starts. */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

export interface RawWebSocketEvents {
  /** A text frame's payload is `buf[start, end)`, valid only during the call. */
  onText(buf: Buffer, start: number, end: number, now: number): void;
  onClose(reason: string): void;
}

export class RawWebSocket {
  private readonly socket: net.Socket;
  private readonly key = randomBytes(16).toString('base64');
  private handshake: Buffer | null = Buffer.alloc(0);
  /** The unfinished frame carried over from the previous read. */
  private pending = Buffer.allocUnsafe(64 * 1024);
  private pendingLength = 0;
  closed = false;

  constructor(
    url: string,
    private readonly events: RawWebSocketEvents,
    onOpen: () => void,
    onError: (error: Error) => void,
  ) {
    const { hostname, port, pathname } = new URL(url);
    this.socket = net.connect({
      host: hostname,
      port: Number(port),
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes: number, buf: Uint8Array) => {
          this.read(buf as Buffer, bytes, Date.now(), onOpen);
          return true;
        },
      },
    });
    this.socket.once('connect', () => {
      this.socket.write(
        `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${this.key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    this.socket.on('error', (error) => {
      if (this.handshake !== null) onError(error);
      else this.close(`socket error: ${error.message}`);
    });
    this.socket.on('close', () => this.close('socket closed'));
  }

  /** Sends one masked text frame. */
  sendText(text: string): void {
    this.socket.write(frame(0x1, Buffer.from(text)));
  }

  terminate(): void {
    this.socket.destroy();
  }

  private close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.events.onClose(reason);
  }

  private read(buf: Buffer, bytes: number, now: number, onOpen: () => void): void {
    let start = 0;
    if (this.handshake !== null) {
      const seen = Buffer.concat([this.handshake, buf.subarray(0, bytes)]);
      const headEnd = seen.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        this.handshake = seen;
        return;
      }
      const head = seen.toString('latin1', 0, headEnd);
      const accept = createHash('sha1').update(`${this.key}${GUID}`).digest('base64');
      this.handshake = null;
      if (
        !head.startsWith('HTTP/1.1 101') ||
        !head.toLowerCase().includes(`sec-websocket-accept: ${accept.toLowerCase()}`)
      ) {
        this.close(`handshake refused: ${head.split('\r\n')[0] ?? ''}`);
        return;
      }
      onOpen();
      const rest = seen.subarray(headEnd + 4);
      if (rest.length > 0) this.frames(rest, 0, rest.length, now);
      return;
    }
    if (this.pendingLength > 0) start = this.complete(buf, bytes, now);
    if (start >= 0 && start < bytes) this.frames(buf, start, bytes, now);
  }

  /** Finishes the carried-over frame from the new bytes; returns where the rest starts, or -1 if all was used. */
  private complete(buf: Buffer, bytes: number, now: number): number {
    let used = 0;
    // The header first (2, 4 or 10 bytes), then the payload.
    const take = (wanted: number) => {
      const n = Math.min(wanted - this.pendingLength, bytes - used);
      if (n > 0) {
        this.reserve(this.pendingLength + n);
        buf.copy(this.pending, this.pendingLength, used, used + n);
        this.pendingLength += n;
        used += n;
      }
      return this.pendingLength >= wanted;
    };
    if (!take(2)) return -1;
    const header = headerLength(this.pending[1] as number);
    if (!take(header)) return -1;
    const total = header + payloadLength(this.pending, 0);
    if (!take(total)) return -1;
    this.pendingLength = 0;
    this.frame(this.pending, 0, header, total, now);
    return used;
  }

  /** Handles the whole frames in `buf[start, end)` and carries over an unfinished one. */
  private frames(buf: Buffer, start: number, end: number, now: number): void {
    let p = start;
    while (p < end && !this.closed) {
      if (end - p < 2) break;
      const header = headerLength(buf[p + 1] as number);
      if (end - p < header) break;
      const total = header + payloadLength(buf, p);
      if (end - p < total) break;
      this.frame(buf, p, header, total, now);
      p += total;
    }
    if (p < end && !this.closed) {
      this.reserve(end - p);
      buf.copy(this.pending, 0, p, end);
      this.pendingLength = end - p;
    }
  }

  private frame(buf: Buffer, at: number, header: number, total: number, now: number): void {
    const first = buf[at] as number;
    const opcode = first & 0x0f;
    if ((first & 0x80) === 0 || ((buf[at + 1] as number) & 0x80) !== 0) {
      this.close('fragmented or masked frame from the server');
      return;
    }
    if (opcode === 0x1) this.events.onText(buf, at + header, at + total, now);
    else if (opcode === 0x9)
      this.socket.write(frame(0xa, Buffer.from(buf.subarray(at + header, at + total))));
    else if (opcode === 0x8) this.close('close frame');
    else if (opcode !== 0xa) this.close(`unexpected opcode ${opcode}`);
  }

  private reserve(size: number): void {
    if (size <= this.pending.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(size, this.pending.length * 2));
    this.pending.copy(bigger, 0, 0, this.pendingLength);
    this.pending = bigger;
  }
}

function headerLength(second: number): number {
  const len = second & 0x7f;
  return len < 126 ? 2 : len === 126 ? 4 : 10;
}

function payloadLength(buf: Buffer, at: number): number {
  const len = (buf[at + 1] as number) & 0x7f;
  if (len < 126) return len;
  if (len === 126) return buf.readUInt16BE(at + 2);
  return Number(buf.readBigUInt64BE(at + 2));
}

/** A client frame: FIN, `opcode`, masked with a random key. */
function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const lengthBytes = len < 126 ? 0 : len < 65_536 ? 2 : 8;
  const out = Buffer.allocUnsafe(2 + lengthBytes + 4 + len);
  out[0] = 0x80 | opcode;
  if (lengthBytes === 0) out[1] = 0x80 | len;
  else if (lengthBytes === 2) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(len, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(len), 2);
  }
  const mask = randomBytes(4);
  const at = 2 + lengthBytes;
  mask.copy(out, at);
  for (let i = 0; i < len; i += 1) out[at + 4 + i] = (payload[i] as number) ^ (mask[i & 3] as number);
  return out;
}

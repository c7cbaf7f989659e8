/**
 * Text frames as bytes. Each message is serialised once into a chunk that ends with a comma (`{…},`), so
 * a client's frame is one allocation and one copy per chunk, whatever mix of symbols it follows: `[`, the
 * chunks, and the last comma turned into `]`.
 */

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const EMPTY_ARRAY = Buffer.from('[]');

/** One serialised message as a chunk: its UTF-8 bytes followed by a comma. */
export function jsonChunk(json: string): Buffer {
  return Buffer.from(`${json},`);
}

/** Several serialised messages as one chunk: `a,b,c,`. */
export function joinedChunk(jsons: readonly string[]): Buffer {
  return Buffer.from(`${jsons.join(',')},`);
}

/** The JSON array of the messages in `chunks` (each as made by jsonChunk or joinedChunk). */
export function jsonArrayFrame(chunks: readonly Buffer[]): Buffer {
  if (chunks.length === 0) return EMPTY_ARRAY;
  let length = 1;
  for (const chunk of chunks) length += chunk.length;
  const frame = Buffer.allocUnsafe(length);
  frame[0] = OPEN_BRACKET;
  let at = 1;
  for (const chunk of chunks) at += chunk.copy(frame, at);
  // The last chunk's trailing comma closes the array.
  frame[length - 1] = CLOSE_BRACKET;
  return frame;
}

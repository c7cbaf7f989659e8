import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Total bytes of the regular files under `root` (symlinks not followed), walking at most `maxEntries` entries. */
export async function dirSize(
  root: string,
  maxEntries = 100_000,
): Promise<{ bytes: number; entries: number; truncated: boolean }> {
  let bytes = 0;
  let entries = 0;
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop();
    if (dir === undefined) break;
    let list: Dirent[];
    try {
      list = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue; // Removed while walking, or unreadable: skip it.
    }
    for (const entry of list) {
      if (entries >= maxEntries) return { bytes, entries, truncated: true };
      entries += 1;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isFile())
        bytes += await fs.stat(full).then(
          (s) => s.size,
          () => 0,
        );
    }
  }
  return { bytes, entries, truncated: false };
}

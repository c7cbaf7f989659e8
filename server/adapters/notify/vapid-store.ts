import fs from 'node:fs';
import path from 'node:path';
import { generateVapidKeys } from './web-push-sender.js';

const FILE = 'vapid-keys.json';

/**
 * The VAPID key pair kept in DATA_DIR/vapid-keys.json (mode 0600), made on first start. Browsers'
 * subscriptions are bound to the public key, so it must outlive restarts; several nodes must share it
 * (set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY).
 */
export function loadOrCreateVapidKeys(dataDir: string): { publicKey: string; privateKey: string } {
  const file = path.join(dataDir, FILE);
  try {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { publicKey?: unknown; privateKey?: unknown };
    if (typeof stored.publicKey === 'string' && typeof stored.privateKey === 'string')
      return { publicKey: stored.publicKey, privateKey: stored.privateKey };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const keys = generateVapidKeys();
  fs.mkdirSync(dataDir, { recursive: true });
  // wx: if another process made the file first, fail here rather than overwrite its keys.
  fs.writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return keys;
}

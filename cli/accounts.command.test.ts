import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keysCommand } from './keys.command.js';
import { tokenCommand } from './token.command.js';
import { userCommand } from './user.command.js';

describe('pulse user / token / keys', () => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-cli-'));
    env = { DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function capture(run: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
    try {
      return { code: await run(), out, err };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  }

  it('creates an owner, refuses a weak password, and mints a token printed once', async () => {
    const created = await capture(() =>
      userCommand.run(
        { email: 'Root@Example.com', password: 'violet tangerine hovercraft 42', role: 'owner' },
        env,
        ['create'],
      ),
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ email: 'root@example.com', role: 'owner' });
    const weak = await capture(() =>
      userCommand.run({ email: 'b@example.com', password: 'password12345' }, env, ['create']),
    );
    expect(weak.code).toBe(1);
    expect(weak.err).toContain('too weak');
    const token = await capture(() =>
      tokenCommand.run({ email: 'root@example.com', scope: 'read', expires: '30d' }, env, ['create']),
    );
    expect(token.code).toBe(0);
    expect(token.out.trim()).toMatch(/^pulse_[0-9a-f]{64}$/);
    expect(token.err).toContain('will not be shown again');
    const unknown = await capture(() =>
      tokenCommand.run({ email: 'ghost@example.com', scope: 'read' }, env, ['create']),
    );
    expect(unknown.code).toBe(1);
    const badScope = await capture(() =>
      tokenCommand.run({ email: 'root@example.com', scope: 'god' }, env, ['create']),
    );
    expect(badScope.err).toContain('--scope');
  }, 60_000);

  it('rotates the master key file and says where the new key is', async () => {
    const first = await capture(() => keysCommand.run({}, env, ['rotate']));
    expect(first.code).toBe(0);
    const report = JSON.parse(first.out) as { newKeyId: string; source: string; keyFile: string };
    expect(report.source).toBe('file');
    expect(report.keyFile).toBe(path.join(dataDir, 'master.key'));
    expect(fs.statSync(report.keyFile).mode & 0o777).toBe(0o600);
    expect(first.err).toContain('new master key is in');
    const second = await capture(() => keysCommand.run({}, env, ['rotate']));
    expect((JSON.parse(second.out) as { oldKeyId: string }).oldKeyId).toBe(report.newKeyId);
  }, 60_000);
});

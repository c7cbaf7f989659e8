import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SmtpMailer } from '../../adapters/notify/smtp-mailer.js';
import { setupOwner } from '../../testing/accounts.js';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { createTestApp, resetDatabase, type TestApp, testSecurity } from '../../testing/test-app.js';

interface Received {
  to: string[];
  body: string;
}

describe('sign-in throttling', () => {
  let database: TestDatabase;
  let smtp: SMTPServer;
  let mailer: SmtpMailer;
  const inbox: Received[] = [];
  let t: TestApp;
  let now: Date;

  beforeAll(async () => {
    database = await freshPglite();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          inbox.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            body: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    smtp.listen(0, '127.0.0.1');
    await once(smtp.server, 'listening');
    const { port } = smtp.server.address() as AddressInfo;
    mailer = new SmtpMailer(`smtp://127.0.0.1:${port}`, 'Pulse <pulse@example.com>');
  });
  afterAll(async () => {
    await t?.close();
    mailer.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await database.dispose();
  });
  beforeEach(async () => {
    await t?.close();
    await resetDatabase(database);
    inbox.length = 0;
    now = new Date('2026-03-02T12:00:00Z');
    t = await createTestApp(
      { now: () => now, rateLimit: 'off', security: { ...testSecurity(database, () => now), mailer } },
      { database },
    );
    await setupOwner(t);
  });

  const login = (email: string, password: string, ip = '203.0.113.7') =>
    t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      remoteAddress: ip,
    });

  it('answers the sixth failure at once with 429 and Retry-After, and doubles the wait after each further failure', async () => {
    for (let i = 0; i < 5; i++)
      expect((await login('owner@example.com', 'wrong password')).statusCode).toBe(401);
    const throttled = await login('owner@example.com', 'violet tangerine hovercraft 42');
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['retry-after']).toBe('1');
    expect(throttled.json()).toMatchObject({ code: 'AUTH_THROTTLED' });
    now = new Date(now.getTime() + 1_000);
    expect((await login('owner@example.com', 'wrong again')).statusCode).toBe(401);
    expect((await login('owner@example.com', 'x')).headers['retry-after']).toBe('2');
    now = new Date(now.getTime() + 2_000);
    expect((await login('owner@example.com', 'violet tangerine hovercraft 42')).statusCode).toBe(200);
  });

  it('locks the account for 15 minutes at ten failures and e-mails its owner over SMTP', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await login('owner@example.com', `wrong ${i}`, `198.51.100.${i}`);
      expect(res.statusCode).toBe(401);
      now = new Date(now.getTime() + 5 * 60_000);
    }
    const locked = await login('owner@example.com', 'violet tangerine hovercraft 42');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(5 * 60);
    // The owner's verification e-mail (sent at setup) may be in the inbox too: look at lockout notices only.
    const notices = () => inbox.filter((m) => m.body.includes('Sign-in is locked'));
    for (let i = 0; i < 50 && notices().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(notices()).toHaveLength(1);
    expect(notices()[0]!.to).toEqual(['owner@example.com']);
    expect(notices()[0]!.body).toContain('198.51.100.9');
    const actions = await database.handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'auth.locked_out')
      .execute();
    expect(actions).toHaveLength(1);
  });

  it('throttles an address that sprays many accounts', async () => {
    for (let i = 0; i < 20; i++) await login(`user${i}@example.com`, 'wrong password', '192.0.2.1');
    const res = await login('owner@example.com', 'violet tangerine hovercraft 42', '192.0.2.1');
    expect(res.statusCode).toBe(429);
    expect((await login('owner@example.com', 'violet tangerine hovercraft 42', '192.0.2.2')).statusCode).toBe(
      200,
    );
  });

  it('treats an unknown e-mail exactly like a known one: same errors, same throttling, similar time, no e-mail', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      let started = performance.now();
      const a = await login('owner@example.com', 'wrong password', `10.0.0.${i}`);
      known.push(performance.now() - started);
      started = performance.now();
      const b = await login('ghost@example.com', 'wrong password', `10.0.1.${i}`);
      unknown.push(performance.now() - started);
      expect(b.statusCode).toBe(a.statusCode);
      expect(b.json().message).toBe(a.json().message);
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    // The decoy hash makes an unknown e-mail cost a real argon2id verification.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
    for (let i = 0; i < 6; i++) await login('ghost@example.com', 'wrong password', `10.0.2.${i}`);
    const ghost = await login('ghost@example.com', 'wrong password', '10.0.3.1');
    expect(ghost.statusCode).toBe(429);
    expect(inbox.filter((m) => m.to.includes('ghost@example.com'))).toHaveLength(0);
  });
});

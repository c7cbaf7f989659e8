import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SmtpMailer } from '../../adapters/notify/smtp-mailer.js';
import { addUser, GOOD_PASSWORD, setupOwner, signInAs } from '../../testing/accounts.js';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { type SmtpReceiver, startSmtpReceiver } from '../../testing/notify-receivers.js';
import {
  cookieFrom,
  createTestApp,
  resetDatabase,
  type TestApp,
  testSecurity,
} from '../../testing/test-app.js';

const PUBLIC_URL = 'https://pulse.example.com';
const NEW_PASSWORD = 'marmalade orbit lantern 77';

/** The message body with quoted-printable soft breaks and escapes undone. */
function decoded(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe('e-mail verification, password reset and lockout e-mails over SMTP', () => {
  let database: TestDatabase;
  let smtp: SmtpReceiver;
  let mailer: SmtpMailer;
  let t: TestApp;
  let now: Date;

  beforeAll(async () => {
    database = await freshPglite();
    smtp = await startSmtpReceiver();
    mailer = new SmtpMailer(smtp.url, 'Pulse <pulse@example.com>');
  });
  afterAll(async () => {
    await t?.close();
    mailer.close();
    await smtp.close();
    await database.dispose();
  });
  beforeEach(async () => {
    await t?.close();
    await resetDatabase(database);
    smtp.messages.length = 0;
    now = new Date('2026-03-02T12:00:00Z');
    t = await createTestApp(
      {
        now: () => now,
        rateLimit: 'off',
        security: { ...testSecurity(database, () => now), mailer, signup: 'open', publicUrl: PUBLIC_URL },
      },
      { database },
    );
  });

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.http.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers });
  const me = (cookie: string) =>
    t.app.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });

  /** Waits for the `n`th message to `to` and returns the token of its link to `path`. */
  async function tokenFromMail(to: string, path: string, n = 1): Promise<string> {
    const pattern = new RegExp(`${PUBLIC_URL}${path}\\?token=([A-Za-z0-9_-]+)`);
    const mails = () => smtp.messages.filter((m) => m.to.includes(to) && pattern.test(decoded(m.raw)));
    for (let i = 0; i < 200 && mails().length < n; i++) await new Promise((r) => setTimeout(r, 20));
    const mail = mails()[n - 1];
    if (!mail) throw new Error(`no e-mail with a ${path} link to ${to}`);
    return pattern.exec(decoded(mail.raw))![1]!;
  }

  async function auditActions(action: string): Promise<unknown[]> {
    return database.handle.db.selectFrom('audit_log').select('detail').where('action', '=', action).execute();
  }

  it('sends a verification link on sign-up; the link verifies once, then is refused as used', async () => {
    const signup = await post('/api/v1/auth/signup', { email: 'new@example.com', password: GOOD_PASSWORD });
    expect(signup.statusCode).toBe(201);
    expect(signup.json().emailVerified).toBe(false);
    const cookie = cookieFrom(signup.headers['set-cookie']);
    const token = await tokenFromMail('new@example.com', '/verify-email');
    const mail = smtp.messages.find((m) => m.to.includes('new@example.com'))!;
    expect(mail.raw).toContain('Subject: Pulse: confirm your e-mail address');

    const verified = await post('/api/v1/auth/verify-email', { token });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toEqual({ emailVerified: true });
    expect((await me(cookie)).json().emailVerified).toBe(true);
    expect(await auditActions('auth.email_verified')).toHaveLength(1);

    const again = await post('/api/v1/auth/verify-email', { token });
    expect(again.statusCode).toBe(410);
    expect(again.json().code).toBe('AUTH_EMAIL_TOKEN_USED');
    const forged = await post('/api/v1/auth/verify-email', { token: `${token.slice(0, -4)}AAAA` });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('AUTH_EMAIL_TOKEN_INVALID');
  });

  it('refuses live broker keys until the address is verified; paper keys are fine', async () => {
    const owner = await setupOwner(t);
    const put = (scope: 'paper' | 'live') =>
      t.app.http.inject({
        method: 'PUT',
        url: '/api/v1/broker-keys',
        headers: owner.headers,
        payload: { keyId: 'PKTESTKEY1234', secretKey: 'secret-key-0123456789', scope },
      });
    const live = await put('live');
    expect(live.statusCode).toBe(403);
    expect(live.json().code).toBe('AUTH_EMAIL_UNVERIFIED');
    expect((await put('paper')).statusCode).toBe(200);
    const token = await tokenFromMail('owner@example.com', '/verify-email');
    expect((await post('/api/v1/auth/verify-email', { token })).statusCode).toBe(200);
    expect((await put('live')).statusCode).toBe(200);
  });

  it('e-mails users made by an admin; the link expires after 48 hours', async () => {
    const owner = await setupOwner(t);
    await addUser(t, owner, 'trader@example.com', 'trader');
    const token = await tokenFromMail('trader@example.com', '/verify-email');
    now = new Date(now.getTime() + 48 * 3_600_000 + 1_000);
    const late = await post('/api/v1/auth/verify-email', { token });
    expect(late.statusCode).toBe(410);
    expect(late.json().code).toBe('AUTH_EMAIL_TOKEN_EXPIRED');
    const trader = await signInAs(t, 'trader@example.com');
    expect((await me(trader.cookie)).json().emailVerified).toBe(false);
  });

  it('resends a verification link at most once a minute', async () => {
    const owner = await setupOwner(t);
    await tokenFromMail('owner@example.com', '/verify-email');
    const first = await post('/api/v1/auth/verify-email/resend', {}, owner.headers);
    expect(first.statusCode).toBe(429);
    expect(first.json().code).toBe('AUTH_EMAIL_RESEND_LIMITED');
    expect(Number(first.headers['retry-after'])).toBe(60);
    now = new Date(now.getTime() + 61_000);
    const second = await post('/api/v1/auth/verify-email/resend', {}, owner.headers);
    expect(second.statusCode).toBe(202);
    expect(second.json()).toEqual({ status: 'sent' });
    const token = await tokenFromMail('owner@example.com', '/verify-email', 2);
    expect((await post('/api/v1/auth/verify-email', { token })).statusCode).toBe(200);
    now = new Date(now.getTime() + 61_000);
    const done = await post('/api/v1/auth/verify-email/resend', {}, owner.headers);
    expect(done.json()).toEqual({ status: 'already_verified' });
  });

  it('resets a password by e-mail: same answer for unknown addresses, policy applies, sessions end, link works once', async () => {
    const owner = await setupOwner(t);
    const known = await post('/api/v1/auth/password/forgot', { email: 'Owner@Example.com' });
    const unknown = await post('/api/v1/auth/password/forgot', { email: 'nobody@example.com' });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(Object.keys(unknown.headers).sort()).toEqual(Object.keys(known.headers).sort());
    const token = await tokenFromMail('owner@example.com', '/reset-password');
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.messages.filter((m) => m.to.includes('nobody@example.com'))).toHaveLength(0);

    const weak = await post('/api/v1/auth/password/reset', { token, password: 'password1234' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('AUTH_WEAK_PASSWORD');

    const reset = await post('/api/v1/auth/password/reset', { token, password: NEW_PASSWORD });
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toEqual({ endedSessions: 1 });
    expect((await me(owner.cookie)).statusCode).toBe(401);
    const old = await post('/api/v1/auth/login', { email: 'owner@example.com', password: GOOD_PASSWORD });
    expect(old.statusCode).toBe(401);
    const signedIn = await signInAs(t, 'owner@example.com', NEW_PASSWORD);
    // The link reached the mailbox, so the address counts as verified.
    expect((await me(signedIn.cookie)).json().emailVerified).toBe(true);
    expect(await auditActions('auth.password_reset')).toEqual([
      { detail: JSON.stringify({ endedSessions: 1 }) },
    ]);

    const reused = await post('/api/v1/auth/password/reset', { token, password: 'another fine phrase 88' });
    expect(reused.statusCode).toBe(410);
    expect(reused.json().code).toBe('AUTH_EMAIL_TOKEN_USED');
  });

  it('refuses a reset link after 30 minutes, and stores only token hashes', async () => {
    await setupOwner(t);
    await post('/api/v1/auth/password/forgot', { email: 'owner@example.com' });
    const token = await tokenFromMail('owner@example.com', '/reset-password');
    const rows = await database.handle.db
      .selectFrom('email_tokens' as never)
      .selectAll()
      .execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    now = new Date(now.getTime() + 30 * 60_000 + 1_000);
    const late = await post('/api/v1/auth/password/reset', { token, password: NEW_PASSWORD });
    expect(late.statusCode).toBe(410);
    expect(late.json().code).toBe('AUTH_EMAIL_TOKEN_EXPIRED');
    expect(
      (await post('/api/v1/auth/login', { email: 'owner@example.com', password: GOOD_PASSWORD })).statusCode,
    ).toBe(200);
  });

  it('answers unknown and known addresses in similar time', async () => {
    await setupOwner(t);
    const time = async (email: string) => {
      const started = performance.now();
      const res = await post('/api/v1/auth/password/forgot', { email });
      expect(res.statusCode).toBe(202);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time('owner@example.com'));
      unknown.push(await time(`ghost${i}@example.com`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    // The lookup, the token and the e-mail all happen after the answer: neither waits on them.
    expect(Math.abs(median(known) - median(unknown))).toBeLessThan(50);
    // Three reset e-mails an hour per account at most, answered the same.
    for (let n = 1; n <= 3; n++) await tokenFromMail('owner@example.com', '/reset-password', n);
    expect(await time('owner@example.com')).toBeLessThan(1_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.messages.filter((m) => decoded(m.raw).includes('/reset-password'))).toHaveLength(3);
  });

  it('e-mails the owner once per lockout, again for a new lockout after the first ends', async () => {
    await setupOwner(t);
    const fail = (i: number) =>
      t.app.http.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'owner@example.com', password: `wrong ${i}` },
        remoteAddress: `198.51.100.${i}`,
      });
    for (let i = 0; i < 10; i++) {
      expect((await fail(i)).statusCode).toBe(401);
      now = new Date(now.getTime() + 5 * 60_000);
    }
    const notices = () => smtp.messages.filter((m) => m.raw.includes('sign-in locked'));
    for (let i = 0; i < 100 && notices().length < 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(notices()).toHaveLength(1);
    expect((await fail(20)).statusCode).toBe(429);
    now = new Date(now.getTime() + 15 * 60_000);
    expect((await fail(21)).statusCode).toBe(401);
    for (let i = 0; i < 100 && notices().length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(notices()).toHaveLength(2);
    expect(notices()[1]!.to).toEqual(['owner@example.com']);
  });
});

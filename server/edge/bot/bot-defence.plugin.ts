import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { addEdgeScreen } from '../screens.js';
import { isbot } from 'isbot';
import type { ErrorBody } from '../../../contracts/errors.js';
import { type ProofVerdict, proofOfWork } from './proof-of-work.js';
import { isPublicForBots } from './public-paths.js';
import {
  DEFAULT_DIFFICULTY,
  type DifficultyPolicy,
  requiredDifficulty,
  SuspicionTracker,
} from './suspicion-tracker.js';

/** Options of the bot-defence plugin; only `secret` is required. */
export interface BotDefenceOptions {
  /** HMAC key for challenges and the proof cookie; the same on every node (POW_SECRET). */
  secret: string | Buffer;
  difficulty?: Partial<DifficultyPolicy>;
  /** Shared with the auth routes, which may call `recordFailedSignIn(ip)` themselves. */
  tracker?: SuspicionTracker;
  /** `METHOD /path` of the sign-in and sign-up routes that may demand a proof of work. */
  guarded?: readonly string[];
  /** Sign-in route whose 401 answers count as failed sign-ins. */
  signInRoute?: string;
  isBot?: (userAgent: string) => boolean;
  challengeTtlMs?: number;
  now?: () => number;
}

/** Counters and the tracker, decorated as `app.botDefence`. */
export interface BotDefenceMonitor {
  readonly tracker: SuspicionTracker;
  readonly counters: {
    botsRefused: number;
    challengesIssued: number;
    challengesDemanded: number;
    proofsAccepted: number;
    proofsRefused: Record<string, number>;
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    botDefence: BotDefenceMonitor;
  }
}

/** The cookie that says "this browser solved a challenge, so it runs Pulse's JavaScript". */
export const JS_PROOF_COOKIE = 'pulse_js';
const JS_PROOF_TTL_MS = 24 * 3_600_000;
const DEFAULT_GUARDED = ['POST /api/v1/auth/login', 'POST /api/v1/setup/owner', 'POST /api/v1/auth/register'];

const REFUSAL: Record<Exclude<ProofVerdict, { ok: true }>['reason'] | 'missing', string> = {
  missing: 'This sign-in needs a proof of work: GET /api/v1/challenge, solve it and resend with x-pow.',
  malformed: 'The x-pow header is not `id:nonce`.',
  forged: 'The challenge was not issued to this client.',
  expired: 'The challenge expired; fetch a new one.',
  'too-easy': 'More work is needed now; fetch a new challenge.',
  wrong: 'The nonce does not solve the challenge.',
  replayed: 'The challenge was already used; fetch a new one.',
};

function cookie(request: FastifyRequest, name: string): string | undefined {
  const found = request.headers.cookie?.split(/;\s*/).find((c) => c.startsWith(`${name}=`));
  return found?.slice(name.length + 1);
}

function refuse(
  reply: FastifyReply,
  request: FastifyRequest,
  status: 403 | 428,
  body: Omit<ErrorBody, 'requestId'>,
) {
  const full: ErrorBody = { ...body, requestId: request.id };
  return reply.code(status).header('cache-control', 'no-store').send(full);
}

const plugin: FastifyPluginAsync<BotDefenceOptions> = async (app, options) => {
  const policy: DifficultyPolicy = { ...DEFAULT_DIFFICULTY, ...options.difficulty };
  const now = options.now ?? Date.now;
  const tracker = options.tracker ?? new SuspicionTracker({ now });
  const pow = proofOfWork({
    secret: options.secret,
    now,
    ...(options.challengeTtlMs && { ttlMs: options.challengeTtlMs }),
  });
  const guarded = new Set(options.guarded ?? DEFAULT_GUARDED);
  const signInRoute = options.signInRoute ?? '/api/v1/auth/login';
  const isBot = options.isBot ?? isbot;
  const monitor: BotDefenceMonitor = {
    tracker,
    counters: {
      botsRefused: 0,
      challengesIssued: 0,
      challengesDemanded: 0,
      proofsAccepted: 0,
      proofsRefused: {},
    },
  };
  app.decorate('botDefence', monitor);
  const { counters } = monitor;

  const provenJs = (request: FastifyRequest) => pow.verifySigned('js', cookie(request, JS_PROOF_COOKIE));
  const needed = (request: FastifyRequest) =>
    requiredDifficulty(tracker.get(request.ip), provenJs(request), policy);

  const guardedMethods = new Set([...guarded].map((route) => route.slice(0, route.indexOf(' '))));

  /** Answers the request (403 or 428) or returns undefined to let it through. */
  const screen = (request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined => {
    const userAgent = request.headers['user-agent'];
    // API tokens are for scripts (curl, python-requests…), so a bearer-authenticated call is not a crawler.
    const scripted = request.headers.authorization?.startsWith('Bearer ') ?? false;
    if (userAgent && !scripted && isBot(userAgent) && !isPublicForBots(request.method, request.url)) {
      counters.botsRefused += 1;
      return refuse(reply, request, 403, {
        code: 'EDGE_BOT_FORBIDDEN',
        message: 'Automated clients may read the public pages only.',
      });
    }
    // Only sign-in and sign-up routes are guarded: other methods never build the route key.
    if (!guardedMethods.has(request.method)) return undefined;
    const mark = request.url.indexOf('?');
    const path = mark === -1 ? request.url : request.url.slice(0, mark);
    if (!guarded.has(`${request.method} ${path}`)) return undefined;
    const difficulty = needed(request);
    if (difficulty === 0) return undefined;
    const header = request.headers['x-pow'];
    const verdict = typeof header === 'string' ? pow.verify(header, request.ip, difficulty) : undefined;
    if (verdict?.ok) {
      counters.proofsAccepted += 1;
      const secure = request.protocol === 'https' ? '; Secure' : '';
      const value = pow.sign('js', now() + JS_PROOF_TTL_MS);
      reply.header(
        'set-cookie',
        `${JS_PROOF_COOKIE}=${value}; Path=/api/; Max-Age=${JS_PROOF_TTL_MS / 1000}; HttpOnly; SameSite=Strict${secure}`,
      );
      return undefined;
    }
    const reason = verdict?.reason ?? 'missing';
    if (verdict) counters.proofsRefused[reason] = (counters.proofsRefused[reason] ?? 0) + 1;
    counters.challengesDemanded += 1;
    return refuse(reply, request, 428, { code: 'EDGE_CHALLENGE_REQUIRED', message: REFUSAL[reason] });
  };

  addEdgeScreen(app, (request, reply) => screen(request, reply) !== undefined);

  app.addHook('onResponse', (request, reply, done) => {
    if (reply.statusCode === 429) tracker.recordRateLimited(request.ip);
    if (request.method === 'POST' && request.routeOptions.url === signInRoute) {
      if (reply.statusCode === 401) tracker.recordFailedSignIn(request.ip);
      else if (reply.statusCode < 300) tracker.clearFailedSignIns(request.ip);
    }
    done();
  });

  app.get(
    '/api/v1/challenge',
    {
      schema: {
        tags: ['auth'],
        summary: 'A proof-of-work challenge for sign-in and sign-up (see EDGE_CHALLENGE_REQUIRED)',
      },
    },
    async (request, reply) => {
      counters.challengesIssued += 1;
      reply.header('cache-control', 'no-store');
      return pow.issue(request.ip, Math.max(policy.base, needed(request)));
    },
  );
};

/** Fastify plugin: bots get public pages only (403 EDGE_BOT_FORBIDDEN); suspicious clients solve a proof of work (428 EDGE_CHALLENGE_REQUIRED) before signing in or up. */
export const botDefencePlugin = fp(plugin, { name: 'pulse-bot-defence', fastify: '5.x' });

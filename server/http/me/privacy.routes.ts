import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ConsentBody,
  ConsentJson,
  DeleteAccountBody,
  DeletionStatusJson,
  PrivacyExportJson,
} from '../../../contracts/privacy.js';
import type { AuditLog, SessionStore, UserStore } from '../../ports.js';
import { getConsent, setConsent } from '../../privacy/consent.js';
import { cancelDeletion, deletionStatus, eraseUserAsAdmin, requestDeletion } from '../../privacy/erasure.js';
import { exportUserData } from '../../privacy/export-user-data.js';
import type { PrivacyStore } from '../../privacy/privacy-store.js';
import { requireCaller } from '../auth/session.plugin.js';

/** What the privacy routes need. */
export interface PrivacyRoutesDeps {
  privacy: PrivacyStore;
  users: UserStore;
  sessions: SessionStore;
  audit: AuditLog;
  /** Days between a deletion request and the erasure (ERASURE_GRACE_DAYS). */
  graceDays: number;
  now: () => Date;
  /** Cancels an erased user's open paper orders; omitted without trading. */
  cancelOpenOrders?: (userId: string) => Promise<void>;
}

/** The caller's consent, data export and account deletion; an admin's erasure of another user. */
export const privacyRoutes: FastifyPluginAsyncZod<PrivacyRoutesDeps> = async (app, deps) => {
  const tags = ['privacy'];

  app.get(
    '/api/v1/me/consent',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Your consent answers and their history', response: { 200: ConsentJson } },
    },
    async (request) => getConsent((await requireCaller(request)).user.id, deps),
  );

  app.put(
    '/api/v1/me/consent',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Give or withdraw consent (analytics, notifications); each change is kept',
        body: ConsentBody,
        response: { 200: ConsentJson },
      },
    },
    async (request) =>
      setConsent(
        {
          userId: (await requireCaller(request)).user.id,
          body: request.body,
          ip: request.ip,
          now: deps.now(),
        },
        deps,
      ),
  );

  app.get(
    '/api/v1/me/export',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Download everything Pulse holds about you (JSON; secrets left out)',
        response: { 200: PrivacyExportJson },
      },
    },
    async (request, reply) => {
      const { user } = await requireCaller(request);
      const now = deps.now();
      const data = await exportUserData({ userId: user.id, actorId: user.id, ip: request.ip, now }, deps);
      const day = now.toISOString().slice(0, 10);
      reply.header('content-disposition', `attachment; filename="pulse-export-${day}.json"`);
      reply.header('cache-control', 'no-store');
      return data;
    },
  );

  app.get(
    '/api/v1/me/delete',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Whether your account is scheduled for deletion',
        response: { 200: DeletionStatusJson },
      },
    },
    async (request) =>
      deletionStatus({ userId: (await requireCaller(request)).user.id, now: deps.now() }, deps),
  );

  app.post(
    '/api/v1/me/delete',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Delete your account after the grace period (password required); other sessions end',
        body: DeleteAccountBody,
        response: { 202: DeletionStatusJson },
      },
    },
    async (request, reply) => {
      const { user, session } = await requireCaller(request);
      const status = await requestDeletion(
        {
          user,
          password: request.body.password,
          keepTokenHash: session?.tokenHash,
          ip: request.ip,
          now: deps.now(),
        },
        deps,
      );
      return reply.code(202).send(status);
    },
  );

  app.delete(
    '/api/v1/me/delete',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Cancel your scheduled account deletion',
        response: { 200: DeletionStatusJson },
      },
    },
    async (request) =>
      cancelDeletion(
        {
          userId: (await requireCaller(request)).user.id,
          ip: request.ip,
          now: deps.now(),
          reason: 'cancelled',
        },
        deps,
      ),
  );

  app.post(
    '/api/v1/admin/users/:id/erase',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Erase a user now (owner/admin; admins cannot erase owners)',
        params: z.object({ id: z.string().max(64) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { user } = await requireCaller(request);
      await eraseUserAsAdmin(
        {
          targetId: request.params.id,
          actor: { id: user.id, role: user.role },
          ip: request.ip,
          now: deps.now(),
        },
        deps,
      );
      return reply.code(204).send(null);
    },
  );
};

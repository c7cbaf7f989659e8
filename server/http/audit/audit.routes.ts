import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditListJson, AuditQuery } from '../../../contracts/auth.js';
import type { AccountsDeps } from '../../accounts/accounts-deps.js';
import { verifyAuditChain } from '../../accounts/audit-chain.js';
import type { AuditEntry } from '../../ports.js';

function present(e: AuditEntry) {
  return {
    id: e.id,
    at: e.at.toISOString(),
    actorId: e.actorId,
    action: e.action,
    ip: e.ip,
    detail: JSON.parse(e.detail) as Record<string, unknown>,
    hash: e.hash,
  };
}

/** The audit log for owners and admins: filtered listing and, with `verify=1`, a check of the hash chain. */
export const auditRoutes: FastifyPluginAsyncZod<AccountsDeps> = async (app, deps) => {
  app.get(
    '/api/v1/admin/audit',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['audit'],
        summary: 'Audit entries, newest first; verify=1 walks the hash chain and names the first broken link',
        querystring: AuditQuery,
        response: { 200: AuditListJson },
      },
    },
    async (request) => {
      const q = request.query;
      const entries = await deps.auditReader.list({
        limit: q.limit,
        ...(q.actorId !== undefined && { actorId: q.actorId }),
        ...(q.action !== undefined && { action: q.action }),
        ...(q.since !== undefined && { since: new Date(q.since) }),
        ...(q.until !== undefined && { until: new Date(q.until) }),
      });
      return {
        entries: entries.map(present),
        ...(q.verify === '1' && { verification: await verifyAuditChain(deps.auditReader) }),
      };
    },
  );
};

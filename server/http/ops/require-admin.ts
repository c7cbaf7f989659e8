import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { type Caller, requireCaller } from '../auth/session.plugin.js';

/** The caller when they are an owner or admin; 401 signed out, 403 for traders and viewers. */
export async function requireAdmin(request: FastifyRequest): Promise<Caller> {
  const caller = await requireCaller(request);
  if (caller.user.role !== 'owner' && caller.user.role !== 'admin')
    throw new AppError('AUTH_FORBIDDEN', 'Only owners and admins may use the operations console.');
  return caller;
}

import { z } from 'zod';

/** Roles, least privileged last. */
export const Role = z.enum(['owner', 'admin', 'trader', 'viewer']);
export type Role = z.infer<typeof Role>;

export const Email = z.string().trim().toLowerCase().pipe(z.email().max(254));

/** Minimum password policy; the accounts issue adds the breached-password list. */
export const Password = z.string().min(12, 'at least 12 characters').max(256, 'at most 256 characters');

export const SetupStatus = z.object({ needsOwner: z.boolean() });
export type SetupStatus = z.infer<typeof SetupStatus>;

export const CreateOwnerBody = z.object({ email: Email, password: Password }).strict();
export type CreateOwnerBody = z.infer<typeof CreateOwnerBody>;

export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(256) }).strict();
export type LoginBody = z.infer<typeof LoginBody>;

/** The signed-in user, and the CSRF token to send as `x-csrf-token` on changes. */
export const Me = z.object({
  id: z.string(),
  email: z.string(),
  role: Role,
  csrfToken: z.string(),
});
export type Me = z.infer<typeof Me>;

import { z } from 'zod';

export const ComponentStatus = z.object({ ok: z.boolean(), detail: z.string().optional() });

/** GET /readyz: ready when every component is. */
export const Readiness = z.object({
  ready: z.boolean(),
  components: z.record(z.string(), ComponentStatus),
});
export type Readiness = z.infer<typeof Readiness>;

export const Liveness = z.object({ status: z.literal('ok'), uptimeSeconds: z.number() });

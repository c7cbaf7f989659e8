import { z } from 'zod';

/**
 * One trading day of GET /api/v1/calendar (Alpaca shape, New York times). contracts/ has no schema
 * for it yet; this one belongs there once the server declares its response.
 */
export const CalendarDay = z.object({
  date: z.string(),
  open: z.string(),
  close: z.string(),
  session_open: z.string().optional(),
  session_close: z.string().optional(),
});
/** A trading day: `date` YYYY-MM-DD, `open`/`close` HH:MM New York time. */
export type CalendarDay = z.infer<typeof CalendarDay>;

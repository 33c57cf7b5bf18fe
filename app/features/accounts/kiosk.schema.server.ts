import { z } from 'zod';

/**
 * The kiosk's start page forms: send a code to a phone, sign in with that code, or with a paper
 * slip. Here and not in the route module, which anyone at a kiosk opens: a schema built in a
 * route module stays in its browser build, zod with it (docs/decisions/015).
 */
export const kioskActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('send'), phone: z.string().trim().max(30) }),
  z.object({ intent: z.literal('code'), phone: z.string().trim().max(30), code: z.string().trim().max(10) }),
  z.object({ intent: z.literal('slip'), slip: z.string().trim().max(20) }),
]);

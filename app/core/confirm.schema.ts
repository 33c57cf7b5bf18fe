import { z } from 'zod';
import { CONFIRM_VALUE } from './confirm';

export { CONFIRM_VALUE };

/**
 * The tick that confirms an irreversible act (publish, submit a locked sheet, void, revoke, move
 * a phase, withdraw). The form always carries the checkbox `confirm=yes` (ConfirmStep in
 * app/components/confirm.tsx); with scripts a dialog ticks it, without them the person does.
 * The server is the only check that counts, so every such action's schema includes this field.
 * The message is a key under "confirmDialog.errors." of the common namespace.
 */
export const confirmedField = z.literal(CONFIRM_VALUE, { error: 'confirmRequired' });

/**
 * The value of the tick that confirms an irreversible act (the checkbox `confirm=yes`; see
 * confirm.schema.ts). Apart from the schema so that ConfirmStep, on public pages too, can name it
 * without bringing zod to the browser.
 */
export const CONFIRM_VALUE = 'yes';

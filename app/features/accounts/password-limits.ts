/**
 * How long a password may be (auth.schema.ts checks it). Apart from the schema so that the sign-in
 * pages' fields can say it without bringing zod to the browser.
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/**
 * The sign-in, registration and recovery schemas for the login, register and recover pages'
 * actions; those pages validate on the server only. Conform's parser comes through here too:
 * imported by the route module itself, it stays in the browser build as an import of its chunk
 * (esbuild's code splitting keeps it although only the action uses it), and that chunk is zod.
 *
 * A route module that imports auth.schema.ts itself ships zod to the browser even when only its loader
 * or action parses: the browser build drops loader and action but keeps the modules they import,
 * whose top-level `z.object()` calls esbuild must assume have side effects. Remix leaves `.server`
 * modules out of the browser build (docs/decisions/015-no-zod-on-public-pages.md).
 */
export { codeSchema, loginSchema, normalizeIdentifier, registerSchema, registerStartSchema, resetPasswordSchema, unlockStartSchema } from './auth.schema';
export { parseWithZod } from '@conform-to/zod/v4';

/**
 * The comment schemas for the comments route's action, which the proposal page's forms post to
 * (its module is fetched when one is submitted).
 *
 * A route module that imports comment.schema.ts itself ships zod to the browser even when only its loader
 * or action parses: the browser build drops loader and action but keeps the modules they import,
 * whose top-level `z.object()` calls esbuild must assume have side effects. Remix leaves `.server`
 * modules out of the browser build (docs/decisions/015-no-zod-on-public-pages.md).
 */
export { commentActionSchema } from './comment.schema';

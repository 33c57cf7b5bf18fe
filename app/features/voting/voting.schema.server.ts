/**
 * The ballot page's parsing (its choices and intent), for its route module to import.
 *
 * A route module that imports voting.schema.ts itself ships zod to the browser even when only its loader
 * or action parses: the browser build drops loader and action but keeps the modules they import,
 * whose top-level `z.object()` calls esbuild must assume have side effects. Remix leaves `.server`
 * modules out of the browser build (docs/decisions/015-no-zod-on-public-pages.md).
 */
export { ballotIntentSchema, choicesFrom, choicesFromSearch } from './voting.schema';

/**
 * The proposal schemas the public proposal pages' loaders and actions parse with (list filters,
 * the detail page's follow / withdraw / invite), for their route modules to import.
 *
 * A route module that imports proposal.schema.ts itself ships zod to the browser even when only its loader
 * or action parses: the browser build drops loader and action but keeps the modules they import,
 * whose top-level `z.object()` calls esbuild must assume have side effects. Remix leaves `.server`
 * modules out of the browser build (docs/decisions/015-no-zod-on-public-pages.md).
 */
export { proposalListQuery, proposalPageActionSchema } from './proposal.schema';
export { confirmedField } from '~/core/confirm.schema';

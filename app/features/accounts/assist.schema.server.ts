// The claim page's action parses through this .server file, conform's parser with it: the page
// is for residents without a password yet and validates on the server only (docs/decisions/015).
export { claimSchema } from './assist.schema';
export { parseWithZod } from '@conform-to/zod/v4';

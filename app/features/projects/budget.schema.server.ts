// The public project page's action parses the committee's budget change through this .server
// file, conform's parser with it, so neither reaches that page's browser build (docs/decisions/015).
export { budgetAdjustmentSchema } from './budget.schema';
export { parseWithZod } from '@conform-to/zod/v4';

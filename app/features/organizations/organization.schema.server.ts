// The public registry list's loader reads its filters through this .server file (docs/decisions/015).
export { filterSchema } from './organization.schema';

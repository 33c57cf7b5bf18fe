// The closing page's action parses through this .server file (docs/decisions/015).
export { evaluationSchema, finalReportSchema, returnSchema } from './closing.schema';

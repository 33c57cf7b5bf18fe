// The milestone report page's action parses through this .server file (docs/decisions/015).
export { releaseSchema, reportFormSchema, reviewSchema } from './reports.schema';
export type { ReportInput } from './reports.schema';

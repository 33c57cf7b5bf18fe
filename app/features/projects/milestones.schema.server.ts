// The plan page's action parses through this .server file (docs/decisions/015).
export { approveSchema, commentSchema, planFormSchema } from './milestones.schema';

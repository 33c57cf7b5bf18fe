import { z } from 'zod';
import { OBJECT_ID, objectId } from '~/utils/object-id';
import { consentSchema } from '~/features/accounts/assist.schema';
import { parseYuanToFen } from '~/utils/format';
import { BENEFICIARY_GROUPS, MAX_BUDGET_ITEMS, MAX_PHOTOS } from './proposals';

/**
 * The proposal form. "Save draft" needs only a title; "submit" needs every part of a complete
 * proposal. Messages are i18n keys under "validation.". Money is typed in yuan and becomes
 * integer fen here; totals are computed on the server, never read from the form.
 */
const text = (max: number) => z.string().trim().max(max, 'tooLong').optional().default('');

const budgetLine = z.object({
  item: z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'tooLong'),
  quantity: z.coerce.number({ error: 'numberInvalid' }).int('numberInvalid').min(1, 'numberInvalid').max(100_000, 'numberInvalid'),
  unitPrice: z
    .string({ error: 'required' })
    .transform((value, ctx) => {
      const fen = parseYuanToFen(value);
      if (fen === null) {
        ctx.addIssue({ code: 'custom', message: 'moneyInvalid' });
        return z.NEVER;
      }
      return fen;
    }),
});

const beneficiary = z.object({
  group: z.enum(BENEFICIARY_GROUPS, { error: 'invalidChoice' }),
  count: z.coerce.number({ error: 'numberInvalid' }).int('numberInvalid').min(1, 'numberInvalid').max(100_000, 'numberInvalid'),
});

const blank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * Drops the rows nobody filled in: the form starts with one beneficiary row and one budget row
 * (quantity pre-set to 1), and a draft saved before they are touched must not fail on them.
 * `ignore` names the fields that carry a default and so say nothing about whether the row was used.
 * A row with anything typed into it stays and is validated, so no input is dropped silently.
 */
const withoutBlankRows = <T extends z.ZodType>(rows: T, ignore: readonly string[] = []) =>
  z.preprocess((value: unknown) => {
    if (!Array.isArray(value)) return value;
    return (value as unknown[]).filter((row) => {
      if (blank(row)) return false;
      if (typeof row !== 'object') return true;
      return Object.entries(row as Record<string, unknown>).some(([key, field]) => !ignore.includes(key) && !blank(field));
    });
    // Typed as the array it wraps, so the form still sees a list of rows (preprocess's input is unknown).
  }, rows) as unknown as T;

export const proposalFormSchema = z
  .object({
    intent: z.enum(['save', 'submit']).default('save'),
    revision: z.coerce.number().int().min(0).optional(),
    title: z.string({ error: 'required' }).trim().min(2, 'titleTooShort').max(60, 'tooLong'),
    summary: text(300),
    category: z.string().trim().max(40).optional().default(''),
    communityId: objectId.optional(),
    beneficiaries: withoutBlankRows(z.array(beneficiary).max(BENEFICIARY_GROUPS.length, 'tooMany').optional().default([])),
    problem: text(3000),
    plan: text(5000),
    schedule: text(2000),
    outcomes: text(2000),
    sustainability: text(2000),
    budget: withoutBlankRows(z.array(budgetLine).max(MAX_BUDGET_ITEMS, 'tooMany').optional().default([]), ['quantity']),
    organizationKind: z.enum(['existing', 'new']).default('new'),
    organizationName: text(80),
    // For an existing organization: the registry entry picked (optional; the name stays free text otherwise).
    organizationId: z.string().trim().regex(OBJECT_ID, 'organizationInvalid').optional(),
    // Photos themselves are files, read from the multipart body by the action.
    peopleConsent: z.literal('on').optional(),
    removePhotos: z.array(z.string().regex(OBJECT_ID)).max(MAX_PHOTOS).optional().default([]),
  })
  .superRefine((value, ctx) => {
    if (value.intent !== 'submit') return;
    const need = (path: string, ok: boolean, message = 'requiredToSubmit') => {
      if (!ok) ctx.addIssue({ code: 'custom', path: [path], message });
    };
    need('summary', value.summary.length >= 10);
    need('category', value.category.length > 0);
    need('communityId', Boolean(value.communityId));
    need('beneficiaries', value.beneficiaries.length > 0, 'beneficiariesRequired');
    need('problem', value.problem.length >= 20, 'tooShortToSubmit');
    need('plan', value.plan.length >= 20, 'tooShortToSubmit');
    need('schedule', value.schedule.length > 0);
    need('outcomes', value.outcomes.length > 0);
    need('sustainability', value.sustainability.length > 0);
    need('budget', value.budget.length > 0, 'budgetEmpty');
    need('organizationName', value.organizationName.length > 0 || (value.organizationKind === 'existing' && Boolean(value.organizationId)));
    const groups = value.beneficiaries.map((b) => b.group);
    if (new Set(groups).size !== groups.length) ctx.addIssue({ code: 'custom', path: ['beneficiaries'], message: 'beneficiaryRepeated' });
  });

export type ProposalForm = z.infer<typeof proposalFormSchema>;

export const proposalListQuery = z.object({
  q: z.string().trim().max(50).optional().catch(undefined),
  category: z.string().trim().max(40).optional().catch(undefined),
  street: z.string().regex(/^[a-z0-9-]{1,40}$/).optional().catch(undefined),
  community: z.string().regex(/^[a-z0-9-]{1,60}$/).optional().catch(undefined),
  status: z.enum(['submitted', 'changesRequested', 'eligible', 'ineligible', 'merged']).optional().catch(undefined),
  sort: z.enum(['random', 'newest', 'mostFollowed']).default('random').catch('random'),
  page: z.coerce.number().int().min(1).max(1000).default(1).catch(1),
});
export type ProposalListQuery = z.infer<typeof proposalListQuery>;

/** What a proposal's page posts: follow, unfollow, withdraw (with `confirm`), invite a co-author. */
export const proposalPageActionSchema = z.object({
  intent: z.enum(['follow', 'unfollow', 'withdraw', 'invite']),
  identifier: z.string().max(254).optional(),
  confirm: z.string().optional(),
});

/** The same form when a grid worker submits for a resident: the consent is recorded with it. */
export const assistedProposalSchema = proposalFormSchema.and(consentSchema);

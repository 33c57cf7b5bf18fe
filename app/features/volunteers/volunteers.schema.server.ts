import { z } from 'zod';
import { OBJECT_ID } from '~/utils/object-id';
import { parseShanghaiDay } from '~/utils/dates';
import {
  ACTIVITY_DESCRIPTION_MAX,
  ACTIVITY_LENGTH_MAX_MS,
  ACTIVITY_TITLE_MAX,
  AVAILABILITY,
  CANCEL_REASON_MAX,
  hoursToMinutes,
  NOTES_MAX,
  PEOPLE_SERVED_MAX,
  PLACE_MAX,
  SLOTS_MAX,
  SLOTS_MIN,
  VOLUNTEER_SKILLS,
} from './rules';

/**
 * The volunteers' forms, checked by the actions (decision 015: these pages carry no zod).
 * Messages are keys under "volunteers:error.". A form's repeated fields (skills) arrive as arrays
 * through `formFields`.
 */

/** A FormData as an object, the fields named in `lists` as arrays (checkboxes), the others as their last value. */
export function formFields(form: FormData, lists: readonly string[] = []): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key).filter((v): v is string => typeof v === 'string');
    fields[key] = lists.includes(key) ? values : values.at(-1);
  }
  for (const key of lists) fields[key] ??= [];
  return fields;
}

const text = (max: number, tooLong: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value ?? '').replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(max, tooLong));

const skills = z.array(z.enum(VOLUNTEER_SKILLS, { error: 'skillUnknown' })).max(VOLUNTEER_SKILLS.length, 'skillUnknown');

export const profileSchema = z.object({
  community: z.string({ error: 'communityRequired' }).regex(OBJECT_ID, 'communityRequired'),
  skills: skills.min(1, 'skillsRequired'),
  availability: z.array(z.enum(AVAILABILITY, { error: 'availabilityUnknown' })).min(1, 'availabilityRequired').max(AVAILABILITY.length, 'availabilityUnknown'),
  contactConsent: z
    .string()
    .optional()
    .transform((value) => value === 'on'),
});
export type ProfileInput = z.infer<typeof profileSchema>;

/** "yyyy-mm-ddThh:mm" typed in Shanghai time (a datetime-local field), as an instant. */
const shanghaiDateTime = (required: string) =>
  z
    .string({ error: required })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, required)
    .transform((value, ctx) => {
      const day = parseShanghaiDay(value.slice(0, 10));
      const [hours, minutes] = value.slice(11).split(':').map(Number) as [number, number];
      if (!day || hours > 23 || minutes > 59) {
        ctx.addIssue({ code: 'custom', message: required });
        return z.NEVER;
      }
      return new Date(day.getTime() + (hours * 60 + minutes) * 60_000);
    });

export const activitySchema = z
  .object({
    organiser: z.string({ error: 'organiserRequired' }).regex(/^(project|organization):[0-9a-f]{24}$/, 'organiserRequired'),
    title: text(ACTIVITY_TITLE_MAX, 'titleTooLong').refine((value) => value.length > 0, 'titleRequired'),
    description: text(ACTIVITY_DESCRIPTION_MAX, 'descriptionTooLong'),
    startsAt: shanghaiDateTime('startsRequired'),
    endsAt: shanghaiDateTime('endsRequired'),
    community: z.string({ error: 'communityRequired' }).regex(OBJECT_ID, 'communityRequired'),
    place: text(PLACE_MAX, 'placeTooLong').refine((value) => value.length > 0, 'placeRequired'),
    slots: z.coerce.number({ error: 'slotsInvalid' }).int('slotsInvalid').min(SLOTS_MIN, 'slotsInvalid').max(SLOTS_MAX, 'slotsInvalid'),
    skills,
  })
  .refine((a) => a.endsAt.getTime() > a.startsAt.getTime(), { message: 'endsBeforeStart', path: ['endsAt'] })
  .refine((a) => a.endsAt.getTime() - a.startsAt.getTime() <= ACTIVITY_LENGTH_MAX_MS, { message: 'tooLong', path: ['endsAt'] });
export type ActivityInput = z.infer<typeof activitySchema>;

const id = z.string({ error: 'notFound' }).regex(OBJECT_ID, 'notFound');

/** The team's acts on the manage page. */
export const manageSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('checkIn'), signup: id }),
  z.object({
    intent: z.literal('log'),
    signup: id,
    day: z.string({ error: 'dayInvalid' }).refine((value) => parseShanghaiDay(value) !== null, 'dayInvalid'),
    hours: z
      .string({ error: 'hoursInvalid' })
      .max(10, 'hoursInvalid')
      .transform((value, ctx) => {
        const minutes = hoursToMinutes(value);
        if (minutes === null) {
          ctx.addIssue({ code: 'custom', message: 'hoursInvalid' });
          return z.NEVER;
        }
        return minutes;
      }),
    peopleServed: z.coerce.number({ error: 'peopleInvalid' }).int('peopleInvalid').min(0, 'peopleInvalid').max(PEOPLE_SERVED_MAX, 'peopleInvalid'),
    notes: text(NOTES_MAX, 'notesTooLong'),
  }),
  z.object({ intent: z.literal('slots'), slots: z.coerce.number({ error: 'slotsInvalid' }).int('slotsInvalid').min(SLOTS_MIN, 'slotsInvalid').max(SLOTS_MAX, 'slotsInvalid') }),
  z.object({ intent: z.literal('cancel'), reason: text(CANCEL_REASON_MAX, 'reasonTooLong').refine((value) => value.length > 0, 'reasonRequired'), confirmed: z.literal('yes', { error: 'confirmRequired' }) }),
], { error: 'invalid' });
export type ManageInput = z.infer<typeof manageSchema>;

export const pageSchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });

/** The first issue's message key (the field it belongs to is in `path`). */
export function firstError(error: z.ZodError): { field: string; key: string } {
  const issue = error.issues[0];
  return { field: String(issue?.path[0] ?? 'form'), key: issue?.message ?? 'invalid' };
}

export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) (errors[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
  return errors;
}

import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList } from '~/components/forms';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { requireCompetition } from '~/features/competitions/context.server';
import { INVITATION_TTL_DAYS, OPEN_INVITATIONS_MAX, REMOVAL_REASON_MAX, TEAM_MAX } from '~/features/projects/team';
import { answerSchema, cancelSchema, inviteSchema, leaveSchema, mentorSchema, removeSchema } from '~/features/projects/team.schema';
import {
  answerInvitation,
  assignMentor,
  cancelInvitation,
  findTeamProject,
  inviteMember,
  leaveTeam,
  listMembers,
  listMentors,
  listOpenInvitations,
  myInvitation,
  removeMember,
  teamAccess,
} from '~/features/projects/team.server';
import { formatDate } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'projects'] };

const ERROR_KEYS = ['projects:team.error.', 'confirmDialog.errors.', 'validation.'] as const;

/**
 * Sign-in first; then the project, which its team, its competition's committee, its mentor and
 * a resident with an open invitation to it may open (404 to anyone else, the same as for a
 * project that does not exist: who is on a team and who was invited is not public here).
 */
async function guard(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requireUser(args.request);
  const { doc } = await requireCompetition(args);
  const project = await findTeamProject(String(doc._id), numberParam(args.params.number));
  invariantResponse(project, 'Not found', { status: 404 });
  const access = teamAccess(user, project);
  const invitation = await myInvitation(user.id, project.id);
  invariantResponse(access.team || access.committee || access.mentor || invitation, 'Not found', { status: 404 });
  return { user, slug: doc.slug, project, access, invitation };
}

export async function loader(args: LoaderFunctionArgs) {
  const { project, access, invitation } = await guard(args);
  const insider = access.team || access.committee;
  const [members, mentor, invitations, mentors, title] = await Promise.all([
    listMembers(project.team),
    project.mentor ? listMembers([project.mentor]).then((m) => m[0] ?? null) : null,
    insider ? listOpenInvitations(project.id) : [],
    access.committee ? listMentors() : [],
    pageTitle(args.request, 'projects:team.title', ['projects', 'common']),
  ]);
  return {
    title,
    project: { number: project.number, title: project.title },
    access,
    // The invitee sees only who invited them, not the team's own business.
    // Account ids only for the committee's removal forms.
    members: insider || access.mentor ? members.map((m) => ({ id: access.committee ? m.id : '', name: m.name })) : [],
    mentor: mentor ? { id: mentor.id, name: mentor.name } : null,
    invitations,
    mentors,
    invitation,
  };
}

type Errors = string[] | null;
type Reply = { form: 'invite' | 'answer' | 'leave' | 'remove' | 'mentor'; errors: Errors; memberId?: string };

const intentSchema = z.object({ intent: z.enum(['invite', 'accept', 'decline', 'cancel', 'leave', 'remove', 'mentor']) });

const messagesOf = (error: z.ZodError) => [...new Set(error.issues.map((i) => i.message))];

export async function action(args: ActionFunctionArgs) {
  const { user, slug, project, access, invitation } = await guard(args);
  const form = await readForm(args.request);
  const fields = Object.fromEntries([...form].filter(([, v]) => typeof v === 'string'));
  const parsedIntent = intentSchema.safeParse(fields);
  invariantResponse(parsedIntent.success, 'Bad request', { status: 400 });
  const intent = parsedIntent.data.intent;
  const ip = clientIp(args.request);
  const back = `/competitions/${slug}/projects/${project.number}/team`;
  const refuse = (reply: Reply, status: number) => data(reply, { status });

  if (intent === 'accept' || intent === 'decline') {
    invariantResponse(invitation, 'Forbidden', { status: 403 });
    const parsed = answerSchema.safeParse(fields);
    if (!parsed.success) return refuse({ form: 'answer', errors: messagesOf(parsed.error) }, 400);
    const answered = await answerInvitation({ project, userId: user.id, invitationId: parsed.data.invitationId, round: parsed.data.round, accept: intent === 'accept', ip });
    if (!answered.ok) return refuse({ form: 'answer', errors: [answered.reason] }, answered.reason === 'notFound' ? 404 : 409);
    if (intent === 'decline') return redirectWithToast(`/competitions/${slug}/projects/${project.number}`, { type: 'success', key: 'projects:toast.invitationDeclined' });
    return redirectWithToast(back, { type: 'success', key: 'projects:toast.joined' });
  }

  if (intent === 'leave') {
    invariantResponse(access.member, 'Forbidden', { status: 403 });
    const parsed = leaveSchema.safeParse(fields);
    if (!parsed.success) return refuse({ form: 'leave', errors: messagesOf(parsed.error) }, 400);
    const left = await leaveTeam({ project, userId: user.id, ip });
    if (!left.ok) return refuse({ form: 'leave', errors: [left.reason] }, 409);
    return redirectWithToast(`/competitions/${slug}/projects/${project.number}`, { type: 'success', key: 'projects:toast.left' });
  }

  if (intent === 'invite' || intent === 'cancel') {
    invariantResponse(access.team || access.committee, 'Forbidden', { status: 403 });
    if (intent === 'cancel') {
      const parsed = cancelSchema.safeParse(fields);
      invariantResponse(parsed.success, 'Bad request', { status: 400 });
      const cancelled = await cancelInvitation({ project, invitationId: parsed.data.invitationId, actorId: user.id, ip });
      invariantResponse(cancelled, 'Not found', { status: 404 });
      return redirectWithToast(back, { type: 'success', key: 'projects:toast.invitationCancelled' });
    }
    const parsed = inviteSchema.safeParse(fields);
    if (!parsed.success) return refuse({ form: 'invite', errors: messagesOf(parsed.error) }, 400);
    const invited = await inviteMember({ project, phone: parsed.data.phone, actorId: user.id, byCommittee: access.committee, competitionSlug: slug, ip });
    if (!invited.ok) return refuse({ form: 'invite', errors: [invited.reason] }, invited.reason === 'phoneInvalid' ? 400 : 409);
    // The same words whatever the number is: sent if it belongs to a resident.
    return redirectWithToast(back, { type: 'success', key: 'projects:toast.invitationSent' });
  }

  invariantResponse(access.committee, 'Forbidden', { status: 403 });
  if (intent === 'remove') {
    const parsed = removeSchema.safeParse(fields);
    if (!parsed.success) return refuse({ form: 'remove', errors: messagesOf(parsed.error), memberId: typeof fields.memberId === 'string' ? fields.memberId : '' }, 400);
    const removed = await removeMember({ project, memberId: parsed.data.memberId, reason: parsed.data.reason, actorId: user.id, competitionSlug: slug, ip });
    invariantResponse(removed.ok, 'Not found', { status: 404 });
    return redirectWithToast(back, { type: 'success', key: 'projects:toast.memberRemoved' });
  }
  const parsed = mentorSchema.safeParse(fields);
  if (!parsed.success) return refuse({ form: 'mentor', errors: messagesOf(parsed.error) }, 400);
  const assigned = await assignMentor({ project, mentorId: parsed.data.mentorId, current: parsed.data.current, actorId: user.id, competitionSlug: slug, ip });
  if (!assigned.ok) return refuse({ form: 'mentor', errors: [assigned.reason] }, assigned.reason === 'conflict' ? 409 : 400);
  return redirectWithToast(back, { type: 'success', key: 'projects:toast.mentorAssigned' });
}

function useErrors(form: Reply['form']) {
  const reply = useActionData<typeof action>();
  return reply && 'form' in reply && reply.form === form ? reply : null;
}

function InvitationAnswer({ invitation }: { invitation: NonNullable<Awaited<ReturnType<typeof loader>>['invitation']> }) {
  const { t } = useTranslation(['projects', 'common']);
  const language = useLanguage();
  const reply = useErrors('answer');
  return (
    <section className="card space-y-3 border-brand-600" aria-labelledby="team-invitation">
      <h3 id="team-invitation" className="text-lg font-semibold">{t('team.invitationTitle')}</h3>
      <p>{t('team.invitedBy', { name: invitation.invitedBy, date: formatDate(invitation.expiresAt, language, { dateStyle: 'long' }) })}</p>
      <ErrorList errors={reply?.errors} keyPrefixes={ERROR_KEYS} />
      <Form method="post" className="flex flex-wrap gap-3">
        <input type="hidden" name="invitationId" value={invitation.id} />
        <input type="hidden" name="round" value={invitation.round} />
        <button type="submit" name="intent" value="accept" className="btn-primary">{t('team.accept')}</button>
        <button type="submit" name="intent" value="decline" className="btn-secondary">{t('team.decline')}</button>
      </Form>
    </section>
  );
}

function InviteForm({ invitations }: { invitations: Awaited<ReturnType<typeof loader>>['invitations'] }) {
  const { t } = useTranslation(['projects', 'common']);
  const language = useLanguage();
  const reply = useErrors('invite');
  return (
    <section className="card space-y-3" aria-labelledby="team-invite">
      <h3 id="team-invite" className="text-lg font-semibold">{t('team.inviteTitle')}</h3>
      <p className="text-stone-700">{t('team.inviteHelp', { days: INVITATION_TTL_DAYS, max: TEAM_MAX, open: OPEN_INVITATIONS_MAX })}</p>
      <Form method="post" className="space-y-3">
        <input type="hidden" name="intent" value="invite" />
        <div>
          <label htmlFor="team-phone" className="mb-1 block font-medium">{t('team.phone')}</label>
          <input id="team-phone" name="phone" type="tel" inputMode="tel" autoComplete="off" className="input" aria-describedby="team-phone-errors" />
          <ErrorList id="team-phone-errors" errors={reply?.errors} keyPrefixes={ERROR_KEYS} />
        </div>
        <button type="submit" className="btn-primary">{t('team.invite')}</button>
      </Form>
      <h4 className="font-semibold">{t('team.openInvitations', { count: invitations.length })}</h4>
      {invitations.length ? (
        <ul className="space-y-2">
          {invitations.map((i) => (
            <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-stone-200 p-3">
              <span>
                {t('team.openInvitation', {
                  name: i.invitedBy,
                  sent: formatDate(i.sentAt, language, { dateStyle: 'medium' }),
                  expires: formatDate(i.expiresAt, language, { dateStyle: 'medium' }),
                })}
              </span>
              <Form method="post">
                <input type="hidden" name="invitationId" value={i.id} />
                <button type="submit" name="intent" value="cancel" className="btn-secondary">{t('team.cancelInvitation')}</button>
              </Form>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function RemoveForm({ member }: { member: { id: string; name: string } }) {
  const { t } = useTranslation(['projects', 'common']);
  const reply = useErrors('remove');
  const mine = reply?.memberId === member.id ? reply : null;
  return (
    <details className="mt-2" open={Boolean(mine)}>
      <summary className="inline-flex min-h-11 cursor-pointer items-center underline">{t('team.remove', { name: member.name })}</summary>
      <Form method="post" className="space-y-3 pt-2">
        <input type="hidden" name="intent" value="remove" />
        <input type="hidden" name="memberId" value={member.id} />
        <label htmlFor={`remove-${member.id}`} className="block font-medium">{t('team.removeReason')}</label>
        <textarea id={`remove-${member.id}`} name="reason" className="input" rows={2} maxLength={REMOVAL_REASON_MAX} />
        <ErrorList errors={mine?.errors?.filter((e) => e !== 'confirmRequired')} keyPrefixes={ERROR_KEYS} />
        <ConfirmStep act="removeMember" values={{ name: member.name }} errors={mine?.errors?.filter((e) => e === 'confirmRequired')} />
        <button type="submit" className="btn-danger">{t('team.removeSubmit')}</button>
      </Form>
    </details>
  );
}

function MentorForm({ mentors, current }: { mentors: { id: string; name: string }[]; current: string | null }) {
  const { t } = useTranslation(['projects', 'common']);
  const reply = useErrors('mentor');
  return (
    <section className="card space-y-3" aria-labelledby="team-mentor-form">
      <h3 id="team-mentor-form" className="text-lg font-semibold">{t('team.mentorFormTitle')}</h3>
      {mentors.length === 0 ? (
        <p className="text-stone-700">{t('team.noMentors')}</p>
      ) : (
        <Form method="post" className="space-y-3">
          <input type="hidden" name="intent" value="mentor" />
          <input type="hidden" name="current" value={current ?? ''} />
          <label htmlFor="team-mentor" className="block font-medium">{t('team.mentorChoice')}</label>
          <select id="team-mentor" name="mentorId" className="input" defaultValue={current ?? mentors[0]!.id}>
            {mentors.map((m) => (
              <option key={m.id} value={m.id}>{m.name}</option>
            ))}
          </select>
          <ErrorList errors={reply?.errors} keyPrefixes={ERROR_KEYS} />
          <button type="submit" className="btn-primary">{t('team.assignMentor')}</button>
        </Form>
      )}
    </section>
  );
}

export default function TeamPage() {
  const { t } = useTranslation(['projects', 'common']);
  const { project, access, members, mentor, invitations, mentors, invitation } = useLoaderData<typeof loader>();
  const leave = useErrors('leave');
  return (
    <article className="space-y-5">
      <header className="space-y-2">
        <Link to=".." relative="path" className="inline-flex min-h-11 items-center underline">
          {project.title}
        </Link>
        <h2 className="text-2xl font-bold">{t('team.title')}</h2>
      </header>

      {invitation ? <InvitationAnswer invitation={invitation} /> : null}

      {access.team || access.committee || access.mentor ? (
        <section className="space-y-2" aria-labelledby="team-members">
          <h3 id="team-members" className="text-lg font-semibold">{t('team.members', { count: members.length })}</h3>
          <ul className="space-y-2">
            {members.map((m, i) => (
              <li key={m.id || i} className="rounded-lg border border-stone-200 p-3">
                <span className="font-semibold">{m.name}</span>
                {access.committee && m.id ? <RemoveForm member={m} /> : null}
              </li>
            ))}
          </ul>
          <p className="text-stone-700">{mentor ? t('team.mentorIs', { name: mentor.name }) : t('team.noMentor')}</p>
        </section>
      ) : null}

      {access.team || access.committee ? <InviteForm invitations={invitations} /> : null}
      {access.committee ? <MentorForm mentors={mentors} current={mentor?.id ?? null} /> : null}

      {access.member ? (
        <section className="card space-y-3" aria-labelledby="team-leave">
          <h3 id="team-leave" className="text-lg font-semibold">{t('team.leaveTitle')}</h3>
          <Form method="post" className="space-y-3">
            <input type="hidden" name="intent" value="leave" />
            <ErrorList errors={leave?.errors?.filter((e) => e !== 'confirmRequired')} keyPrefixes={ERROR_KEYS} />
            <ConfirmStep act="leaveTeam" values={{ title: project.title }} errors={leave?.errors?.filter((e) => e === 'confirmRequired')} />
            <button type="submit" className="btn-secondary">{t('team.leave')}</button>
          </Form>
        </section>
      ) : null}
    </article>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';

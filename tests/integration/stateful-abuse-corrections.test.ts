import { describe, expect, it, vi } from 'vitest';
import { AuditLog, Ballot, Competition } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCompetition, createUser, grant, insertJudgingSheet, insertProposal, phaseWindows } from '#seeds/factories';
import { getCompetitionForEdit } from '~/features/competitions/competitions.server';
import { DEFAULT_RUBRIC } from '~/features/judging/rules';
import { updateRubric } from '~/features/judging/rubric.server';
import { DEFAULT_VOTING_RULES } from '~/features/voting/rules';
import { updateVotingRules } from '~/features/voting/voting.server';
import { action as loginAction } from '~/routes/login/route';
import { action as manageAction } from '~/routes/competitions.$slug.manage/route';
import { shanghaiDay } from '~/utils/dates';
import { call, CookieJar, formRequest } from '../support/http';
import { competitionFormFields } from '../support/competition-form';

/**
 * Stateful abuse (issue 11, finding 4): an admin's correction of a frozen setting and the
 * committee's edit of the same competition, at the same moment, never both apply on a stale read
 * (one conditional update each, on the competition as read); and a correction cannot be used to
 * unlock the voting rules or the rubric by moving their phase back into the future.
 */
const DAY = 86_400_000;
const REASON = '委员会会议确认原日期录入错误，予以更正。';
const later = (day: string, days: number) => shanghaiDay(Date.parse(`${day}T00:00:00+08:00`) + days * DAY);

async function signIn(email: string): Promise<CookieJar> {
  return new CookieJar().take((await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }))).headers);
}

/** A competition `daysAgo` into its phases, with a signed-in committee member and admin posting to its manage page. */
async function competitionAt(daysAgo: number, phases = phaseWindows(new Date(Date.now() - daysAgo * DAY))) {
  const competition = await createCompetition({ phases });
  const committee = await createUser({ roles: [grant('resident'), grant('committee', 'competition', competition._id)] });
  const admin = await createUser({ roles: [grant('resident'), grant('admin')] });
  const [committeeJar, adminJar] = [await signIn(committee.email!), await signIn(admin.email!)];
  const post = (jar: CookieJar, fields: Record<string, string>) =>
    call(manageAction, formRequest(`/competitions/${competition.slug}/manage`, fields, { jar }), { slug: competition.slug });
  const correct = (fields: Record<string, string>) => post(adminJar, { intent: 'correct', understood: 'on', reason: REASON, ...fields });
  return { competition, committee, admin, committeeJar, post, correct };
}

describe('an admin correction and a committee edit of the same competition', () => {
  /**
   * Holds each read of a competition until another one is waiting too, then lets both go: the
   * two requests read the same version, at each step, however the event loop would order them.
   */
  function readInPairs() {
    const findOne = Competition.findOne.bind(Competition);
    let waiting: (() => void) | null = null;
    return vi.spyOn(Competition, 'findOne').mockImplementation(((...args: Parameters<typeof findOne>) => {
      const query = findOne(...args);
      const exec = query.exec.bind(query);
      query.exec = (async () => {
        const result = await exec();
        await new Promise<void>((release) => {
          if (waiting) {
            waiting();
            waiting = null;
            release();
          } else {
            waiting = release;
            // Alone (nobody else reading): go on after a moment rather than wait forever.
            setTimeout(() => {
              if (waiting === release) waiting = null;
              release();
            }, 2_000);
          }
        });
        return result;
      });
      return query;
    }) as typeof Competition.findOne);
  }

  it('at the same moment, reading the same version, never both apply: one wins, the other is told it changed meanwhile', async () => {
    // Voting opened five days ago.
    const { competition, committeeJar, post, correct } = await competitionAt(64);
    const form = competitionFormFields((await getCompetitionForEdit(competition.slug))!.values);
    const extended = { ...form };
    for (const key of ['judging', 'results', 'implementation', 'closed']) extended[`starts.${key}`] = later(form[`starts.${key}`]!, 7);
    const spy = readInPairs();
    // The committee extends voting (its form carries the budget as read); the admin corrects the budget.
    const [edit, correction] = await Promise.all([post(committeeJar, extended), correct({ setting: 'budget', budget: '1,750,000' })]).finally(() => spy.mockRestore());
    expect([edit.status, correction.status].sort()).toEqual([303, 400]);
    expect(JSON.stringify((edit.status === 400 ? edit : correction).data)).toContain('changedMeanwhile');
    const stored = (await Competition.findById(competition._id).lean())!;
    const judging = shanghaiDay(stored.phases.find((p) => p.key === 'judging')!.startsAt);
    if (correction.status === 303) {
      expect(stored.budgetFen).toBe(175_000_000);
      expect(stored.corrections).toHaveLength(1);
      expect(judging).toBe(form['starts.judging']);
    } else {
      expect(stored.budgetFen).toBe(200_000_000);
      expect(stored.corrections).toHaveLength(0);
      expect(judging).toBe(extended['starts.judging']);
    }
    const audited = await AuditLog.find({ targetId: String(competition._id) }).select('action').lean();
    expect(audited.map((entry) => entry.action)).toEqual([correction.status === 303 ? 'competition.corrected' : 'competition.updated']);
  });

  it('a committee form loaded before a correction cannot put the old budget back', async () => {
    const { competition, committeeJar, post, correct } = await competitionAt(64);
    const stale = competitionFormFields((await getCompetitionForEdit(competition.slug))!.values);
    expect((await correct({ setting: 'budget', budget: '1,750,000' })).status).toBe(303);
    const edit = await post(committeeJar, stale);
    expect(edit.status).toBe(400);
    expect(JSON.stringify(edit.data)).toContain('budgetFrozen');
    expect((await Competition.findById(competition._id).lean())!.budgetFen).toBe(175_000_000);
  });
});

describe('a correction cannot unlock the voting rules or the rubric', () => {
  it('moving the start of voting into the future once ballots exist is refused, and the rules stay locked', async () => {
    const { competition, committee, correct } = await competitionAt(64);
    await Ballot.create({ competition: competition._id, voter: (await createUser())._id, channel: 'online', submittedAt: new Date() });
    const before = (await Competition.findById(competition._id).lean())!;
    const outcome = await correct({ setting: 'start:voting', day: shanghaiDay(Date.now() + 3 * DAY) });
    expect(outcome.status).toBe(400);
    expect(JSON.stringify(outcome.data)).toContain('ballotsCast');
    expect((await Competition.findById(competition._id).lean())!).toEqual(before);
    expect(await updateVotingRules({ slug: competition.slug, rules: { ...DEFAULT_VOTING_RULES, maxChoices: 1 }, actorId: String(committee._id) })).toEqual({
      ok: false,
      reason: 'votingStarted',
    });
  });

  it('without ballots the same correction is allowed: nothing depends yet on voting having opened', async () => {
    const { competition, correct } = await competitionAt(64);
    const day = shanghaiDay(Date.now() + 3 * DAY);
    expect((await correct({ setting: 'start:voting', day })).status).toBe(303);
    const voting = (await Competition.findById(competition._id).lean())!.phases.find((p) => p.key === 'voting')!;
    expect(shanghaiDay(voting.startsAt)).toBe(day);
  });

  it('moving the start of judging into the future is refused, whether it would reopen voting or judges have scored, and the rubric stays locked', async () => {
    // Judging opened five days ago, right as voting ended.
    const contiguous = await competitionAt(85);
    const reopening = await contiguous.correct({ setting: 'start:judging', day: shanghaiDay(Date.now() + 3 * DAY) });
    expect(JSON.stringify(reopening.data)).toContain('votingEnded');
    // Voting ended two days before judging opened: only the scores stand in the way.
    const gap = phaseWindows(new Date(Date.now() - 85 * DAY)).map((p) => (p.key === 'voting' ? { ...p, endsAt: new Date(p.endsAt.getTime() - 2 * DAY) } : p));
    const scored = await competitionAt(85, gap);
    const proposal = await insertProposal({ competition: scored.competition._id, author: (await createUser())._id, status: 'eligible' });
    await insertJudgingSheet({ competition: scored.competition._id, judge: (await createUser())._id, proposal: proposal._id, status: 'draft', scores: { need: 7 } });
    const refused = await scored.correct({ setting: 'start:judging', day: shanghaiDay(Date.now() + 3 * DAY) });
    expect(JSON.stringify(refused.data)).toContain('judgingScored');
    for (const { competition, committee } of [contiguous, scored]) {
      expect(await updateRubric({ slug: competition.slug, rubric: DEFAULT_RUBRIC, actorId: String(committee._id) })).toEqual({ ok: false, reason: 'judgingStarted' });
    }
  });
});

import type { Submission } from '@conform-to/react';
import { getCompetition } from './competitions.server';
import { listStreetsWithCommunities } from './geography.server';
import type { CompetitionRules, WriteResult } from './proposals.server';

/** What the proposal form needs to offer: the competition's directions, communities and limits. */
export async function proposalFormOptions(rules: CompetitionRules) {
  const [competition, streets] = await Promise.all([getCompetition(rules.slug), listStreetsWithCommunities()]);
  return {
    categories: competition?.categories ?? [],
    streets: streets
      .filter((s) => rules.eligibleStreets.length === 0 || rules.eligibleStreets.includes(s.id))
      .map((s) => ({ id: s.id, name: s.name, communities: s.communities.map((c) => ({ id: c.id, name: c.name })) })),
    minRequestFen: rules.minRequestFen,
    maxRequestFen: rules.maxRequestFen,
  };
}

/** A refused write as the form shows it: on the field it concerns, else above the buttons. */
export function replyForFailure(submission: Submission<unknown>, result: Extract<WriteResult, { ok: false }>) {
  return submission.reply(
    result.field ? { fieldErrors: { [result.field]: [result.reason] } } : { formErrors: [result.reason] },
  );
}

import mongoose, { Types } from 'mongoose';
import { Competition, Project, Proposal, ResultSnapshot } from '#models';
import { isDuplicateKeyError } from '~/core/db.server';
import type { Outcome } from '~/features/results/allocation/outcome';

/**
 * From a published result to projects: one per funded proposal, numbered 1, 2, … in the
 * result's order, with the proposal's texts, place and authors and the budget the result
 * funded. A project knows its result; the result never knows projects, so the publish route
 * (and the seed) call this after publishResults.
 *
 * Idempotent, also when several calls race: the unique index on `proposal` (and on
 * competition + number) lets each project be inserted once; a losing insert is a duplicate-key
 * error and is ignored. Calling it again for a competition with all its projects changes nothing,
 * so it doubles as the backfill for results published before projects existed.
 */

export type CreateProjectsResult = { ok: true; created: number; total: number } | { ok: false; reason: 'notPublished' };

export async function createProjectsFromResult(competitionId: string): Promise<CreateProjectsResult> {
  const [snapshot, competition] = await Promise.all([
    ResultSnapshot.findOne({ competition: competitionId }).select('outcome publishedAt publishedBy').lean(),
    Competition.findById(competitionId).select('phases').lean(),
  ]);
  if (!snapshot || !competition) return { ok: false, reason: 'notPublished' };
  const funded = (snapshot.outcome as Outcome).lines.filter((line) => line.funded);
  const fundedFen = funded.reduce((sum, line) => sum + line.cost, 0);

  // The running total starts at the full funded sum, before any project exists: a project not
  // yet inserted (a crash halfway) is already counted, which errs on the safe side.
  await Competition.updateOne(
    { _id: competitionId, 'projectBudget.fundedFen': mongoose.trusted({ $exists: false }) },
    { $set: { projectBudget: { fundedFen, approvedFen: fundedFen } } },
  );

  const proposals = await Proposal.find({ competition: competitionId, _id: mongoose.trusted({ $in: funded.map((line) => new Types.ObjectId(line.id)) }) })
    .select('number title summary plan category street community authors organization')
    .lean();
  const byId = new Map(proposals.map((p) => [String(p._id), p]));
  const implementation = competition.phases.find((phase) => phase.key === 'implementation');

  const numbered = funded.flatMap((line, index) => {
    const proposal = byId.get(line.id);
    return proposal ? [{ line, proposal, number: index + 1 }] : [];
  });
  const inserted = await Promise.all(
    numbered.map(async ({ line, proposal, number }) => {
      try {
        await Project.create({
          competition: competitionId,
          proposal: proposal._id,
          proposalNumber: proposal.number,
          number,
          title: proposal.title,
          summary: proposal.summary,
          description: proposal.plan,
          category: proposal.category,
          street: proposal.street,
          community: proposal.community,
          fundedFen: line.cost,
          approvedBudgetFen: line.cost,
          proposedOrganizationName: proposal.organization?.name ?? '',
          team: proposal.authors,
          plannedStart: implementation?.startsAt,
          plannedEnd: implementation?.endsAt,
          status: 'planning',
          statusHistory: [{ status: 'planning', at: snapshot.publishedAt, by: snapshot.publishedBy }],
        });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    }),
  );
  if (numbered.length > 0) {
    await Proposal.bulkWrite(
      numbered.map(({ proposal, number }) => ({
        updateOne: { filter: { _id: proposal._id, competition: new Types.ObjectId(competitionId) }, update: { $set: { 'project.number': number } } },
      })),
    );
  }
  return { ok: true, created: inserted.filter(Boolean).length, total: numbered.length };
}

/** Projects for every published result that lacks them (results published before projects existed). */
export async function backfillProjects(): Promise<number> {
  const snapshots = await ResultSnapshot.find().select('competition').lean();
  let created = 0;
  for (const snapshot of snapshots) {
    const result = await createProjectsFromResult(String(snapshot.competition));
    if (result.ok) created += result.created;
  }
  return created;
}

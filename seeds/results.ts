import mongoose from 'mongoose';
import { Competition, JudgingSheet, Project, Proposal, ResultSnapshot, User } from '#models';
import { publishResults } from '~/features/results/results.server';
import { createProjectsFromResult } from '~/features/projects/projects.server';
import { assignMentor, findTeamProject, inviteMember } from '~/features/projects/team.server';
import { DEMO_INVITEE_PHONE_BASE, DEMO_MENTOR_EMAIL } from './data';
import { DEFAULT_CRITERIA } from '~/features/judging/rules';

/**
 * Demo judging and results for the closed 2025 competition: the three demo judges (judge1–3@…)
 * judge it too, each scores every eligible proposal (deterministic marks, one judge lenient, one
 * harsh), and the committee's greedy result is published, so /competitions/2025-laoshanxing/results
 * shows the ranked table, reasons, charts and downloads; its funded proposals become projects,
 * as publishing does in the app (also for a database whose 2025 result was published before
 * projects existed). Running it twice changes nothing.
 */
const LEVELS = [8, 6, 7, 5, 9, 4];

export async function seedResults(): Promise<void> {
  const c2025 = await Competition.findOne({ slug: '2025-laoshanxing' }).select('_id').lean();
  if (!c2025) return;
  if (await ResultSnapshot.exists({ competition: c2025._id })) {
    await createProjectsFromResult(String(c2025._id));
    await seedProjectTeams(String(c2025._id));
    return;
  }
  const committee = await User.findOne({ email: 'committee@demo.laoshanxing.cn' }).select('_id').lean();
  const judges = await User.find({ email: mongoose.trusted({ $in: ['judge1@demo.laoshanxing.cn', 'judge2@demo.laoshanxing.cn', 'judge3@demo.laoshanxing.cn'] }) })
    .select('_id email')
    .sort({ email: 1 })
    .lean();
  if (!committee || judges.length !== 3) return;
  await User.updateMany(
    { _id: mongoose.trusted({ $in: judges.map((j) => j._id) }) },
    { $push: { roles: { role: 'judge', scopeType: 'competition', scopeId: c2025._id } } },
  );
  const proposals = await Proposal.find({ competition: c2025._id, status: 'eligible' }).select('_id number').sort({ number: 1 }).lean();
  const sheets = [];
  for (const [j, judge] of judges.entries()) {
    for (const [i, proposal] of proposals.entries()) {
      sheets.push({
        competition: c2025._id,
        judge: judge._id,
        proposal: proposal._id,
        status: 'submitted',
        submittedAt: new Date('2025-06-10T10:00:00+08:00'),
        // Each proposal has its own level (judges broadly agree), judge 1 marks a point higher and judge 3 a point lower.
        scores: DEFAULT_CRITERIA.map((c, k) => ({ criterion: c.key, score: Math.min(10, Math.max(1, LEVELS[i % LEVELS.length]! + ((k + j) % 3) - 1 + (1 - j))) })),
        comment: '',
      });
    }
  }
  await JudgingSheet.insertMany(sheets);
  const published = await publishResults({ competitionId: String(c2025._id), slug: '2025-laoshanxing', method: 'greedy', actorId: String(committee._id), now: new Date('2025-07-01T10:00:00+08:00') });
  if (!published.ok) throw new Error(`seed: could not publish 2025 results: ${published.reason}`);
  const projects = await createProjectsFromResult(String(c2025._id));
  if (!projects.ok) throw new Error('seed: could not create the 2025 projects');
  await seedProjectTeams(String(c2025._id));
}

/**
 * The 2025 projects' people, through the team service as the app does it: the demo mentor
 * assigned by the committee (if none yet), and one resident invited by the project's first
 * author (an invitation open for 14 days from the seeding). Running it twice changes nothing.
 */
async function seedProjectTeams(competitionId: string): Promise<void> {
  const [committee, mentor] = await Promise.all([
    User.findOne({ email: 'committee@demo.laoshanxing.cn' }).select('_id').lean(),
    User.findOne({ email: DEMO_MENTOR_EMAIL }).select('_id').lean(),
  ]);
  if (!committee || !mentor) return;
  const numbers = await Project.find({ competition: competitionId }).select('number').sort({ number: 1 }).lean();
  for (const { number } of numbers) {
    const project = (await findTeamProject(competitionId, number))!;
    if (!project.mentor) {
      await assignMentor({ project, mentorId: String(mentor._id), current: null, actorId: String(committee._id), competitionSlug: '2025-laoshanxing' });
    }
    const phone = String(DEMO_INVITEE_PHONE_BASE + number - 1);
    const invitee = await User.findOne({ phone }).select('_id').lean();
    const inviter = project.team[0];
    if (!inviter || (invitee && project.team.includes(String(invitee._id)))) continue;
    await inviteMember({ project, phone, actorId: inviter, byCommittee: false, competitionSlug: '2025-laoshanxing' });
  }
}

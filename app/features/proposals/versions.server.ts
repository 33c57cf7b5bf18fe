import mongoose from 'mongoose';
import { Proposal, ProposalVersion, User } from '#models';
import { PUBLIC_STATUSES } from './proposals';
import type { CompetitionRules } from './competition-rules.server';

/** A proposal's edit history as the public sees it: who changed which fields when. */

export async function listVersions(rules: CompetitionRules, number: number) {
  const proposal = await Proposal.findOne({ competition: rules.id, number }).select('_id status').lean();
  if (!proposal || !PUBLIC_STATUSES.includes(proposal.status)) return null;
  const versions = await ProposalVersion.find({ proposal: proposal._id }).sort({ revision: -1 }).lean();
  const editors = await User.find({ _id: mongoose.trusted({ $in: versions.map((v) => v.editor) }) }).select('name').lean();
  const names = new Map(editors.map((e) => [String(e._id), e.name]));
  return versions.map((v) => ({
    revision: v.revision,
    editor: names.get(String(v.editor)) ?? '',
    at: v.createdAt.toISOString(),
    fields: v.changes.map((c) => c.field),
  }));
}

import type { Types } from 'mongoose';
import { Ballot, MilestoneReport, Project, Proposal } from '#models';
import type { SessionUser } from '~/core/auth.server';
import { hasPermission } from '~/core/permissions.server';
import type { StoredImage } from '~/core/uploads.server';
import { PUBLIC_STATUSES } from './proposals';

/**
 * Who may see a stored image is decided by what it belongs to, read at each request:
 * - a proposal's photo is public only while the proposal is (a draft's or a withdrawn
 *   proposal's photo is for its authors, the grid worker who submitted it and the committee);
 * - a signed consent form is for the grid worker who took it, the grid workers of the
 *   proposal's (or the assisted ballot's) street or community and the committee of its competition;
 * - any other image (a competition's cover, a photo not yet in a proposal) keeps the
 *   visibility it was stored with: public, or its uploader's and admins'.
 * - a milestone report's photo is public once the report is approved, before that for the
 *   project's team, its mentor and its competition's committee; an expense's receipt is only
 *   ever for them;
 * The uploader and admins see everything.
 */
/** `listed`: public while its proposal is listed, so caches must not keep it long. */
export type ImageAccess = { allowed: false } | { allowed: true; audience: 'public' | 'listed' | 'private' };

export async function imageAccess(viewer: SessionUser | null, image: Pick<StoredImage, 'visibility' | 'uploaderId'>, fileId: string): Promise<ImageAccess> {
  const proposal = await Proposal.findOne({
    $or: [{ 'photos.fileId': fileId }, { 'assisted.consent.formFileId': fileId }],
  })
    .select('competition status authors street community assisted.worker assisted.consent.formFileId')
    .lean();
  const privileged = Boolean(viewer && (viewer.id === image.uploaderId || hasPermission(viewer.roles, 'admin:access')));
  if (!proposal) {
    const report = await reportImageAccess(viewer, fileId, privileged);
    if (report) return report;
    const ballot = await Ballot.findOne({ 'consent.formFileId': fileId }).select('competition street community enteredBy').lean();
    if (ballot) return privileged ? { allowed: true, audience: 'private' } : consentFormAccess(viewer, ballot);
    // Covers and photos not (yet) in a proposal: as stored (only photos are ever stored public).
    if (image.visibility === 'public') return { allowed: true, audience: 'public' };
    return privileged ? { allowed: true, audience: 'private' } : { allowed: false };
  }
  const consentForm = proposal.assisted?.consent?.formFileId === fileId;
  if (!consentForm && PUBLIC_STATUSES.includes(proposal.status) && image.visibility === 'public') {
    return { allowed: true, audience: 'listed' };
  }
  if (privileged) return { allowed: true, audience: 'private' };
  if (!viewer) return { allowed: false };
  const competitionId = String(proposal.competition);
  const committee = hasPermission(viewer.roles, 'competition:manage', { competitionId });
  const worker = proposal.assisted?.worker ? String(proposal.assisted.worker) === viewer.id : false;
  const allowed = consentForm
    ? committee ||
      worker ||
      hasPermission(viewer.roles, 'resident:assist', {
        streetId: proposal.street ? String(proposal.street) : null,
        communityId: proposal.community ? String(proposal.community) : null,
      })
    : committee || worker || proposal.authors.some((author) => String(author) === viewer.id);
  return allowed ? { allowed: true, audience: 'private' } : { allowed: false };
}


/** An assisted ballot's signed consent form: the worker who entered it, the grid workers of the voter's area, the competition's committee. */
function consentFormAccess(
  viewer: SessionUser | null,
  ballot: { competition: Types.ObjectId; street?: Types.ObjectId | null; community?: Types.ObjectId | null; enteredBy?: Types.ObjectId | null },
): ImageAccess {
  if (!viewer) return { allowed: false };
  const allowed =
    hasPermission(viewer.roles, 'competition:manage', { competitionId: String(ballot.competition) }) ||
    (ballot.enteredBy ? String(ballot.enteredBy) === viewer.id : false) ||
    hasPermission(viewer.roles, 'resident:assist', {
      streetId: ballot.street ? String(ballot.street) : null,
      communityId: ballot.community ? String(ballot.community) : null,
    });
  return allowed ? { allowed: true, audience: 'private' } : { allowed: false };
}

/** A milestone report's photo or receipt, or null when the file belongs to no report. */
async function reportImageAccess(viewer: SessionUser | null, fileId: string, privileged: boolean): Promise<ImageAccess | null> {
  const [byPhoto, byReceipt] = await Promise.all([
    MilestoneReport.findOne({ 'photos.fileId': fileId }).select('project competition status').lean(),
    MilestoneReport.findOne({ 'expenses.receiptFileId': fileId }).select('project competition status').lean(),
  ]);
  const report = byPhoto ?? byReceipt;
  if (!report) return null;
  if (byPhoto && report.status === 'approved') return { allowed: true, audience: 'listed' };
  if (privileged) return { allowed: true, audience: 'private' };
  if (!viewer) return { allowed: false };
  if (hasPermission(viewer.roles, 'competition:manage', { competitionId: String(report.competition) })) return { allowed: true, audience: 'private' };
  const project = await Project.findById(report.project).select('team mentor').lean();
  const member =
    Boolean(project?.team.some((id) => String(id) === viewer.id)) ||
    (project?.mentor ? String(project.mentor) === viewer.id && viewer.roles.some((grant) => grant.role === 'mentor') : false) ||
    hasPermission(viewer.roles, 'project:report', { projectId: String(report.project) });
  return member ? { allowed: true, audience: 'private' } : { allowed: false };
}

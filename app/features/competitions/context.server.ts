import type { AppLoadContext } from '@remix-run/node';
import type { Types } from 'mongoose';
import { Competition } from '#models';
import { requirePermission, type SessionUser } from '~/core/auth.server';
import type { Permission } from '~/core/permissions.server';
import { oncePerRequest } from '~/core/request-context.server';
import type { LocalizedText } from '~/core/locales';
import type { StoredCorrection } from './corrections';
import { currentPhase, type Phase, type PhaseWindow } from './phases';

/**
 * The competition a request is about, read once per request with every field any competition
 * page or rule reads (a competition document is small), and the guard every competition page
 * starts with. The proposal, voting and judging contexts are pure views of this one record
 * (docs/decisions/010-feature-folders.md).
 */

const FIELDS =
  'slug year title summary budgetFen minRequestFen maxRequestFen coverFileId phases categories eligibleStreets voting judging corrections resultsPublishedAt updatedAt';

/** The stored competition as the app reads it (the projection above, with its enums typed). */
export interface CompetitionRecord {
  _id: Types.ObjectId;
  slug: string;
  year: number;
  title: LocalizedText;
  summary: LocalizedText;
  budgetFen: number;
  minRequestFen: number;
  maxRequestFen: number;
  coverFileId?: string | null;
  phases: PhaseWindow[];
  categories: { code: string; name: LocalizedText }[];
  eligibleStreets: Types.ObjectId[];
  voting?: Record<string, unknown> | null;
  judging?: Record<string, unknown> | null;
  corrections?: StoredCorrection[] | null;
  resultsPublishedAt?: Date | null;
  updatedAt: Date;
}

/** What every competition-scoped rule starts from: the document's id, slug and phase by date. */
export interface CompetitionBase {
  id: string;
  slug: string;
  phase: Phase | null;
  phases: PhaseWindow[];
}

export interface LoadedCompetition {
  doc: CompetitionRecord;
  base: CompetitionBase;
}

/** One competition by slug with its phase computed at `now`; null when there is none. */
export async function loadCompetition(slug: string, now = new Date()): Promise<LoadedCompetition | null> {
  const doc = (await Competition.findOne({ slug }).select(FIELDS).lean()) as CompetitionRecord | null;
  if (!doc) return null;
  return { doc, base: { id: String(doc._id), slug: doc.slug, phase: currentPhase(doc.phases, now), phases: doc.phases } };
}

export interface CompetitionArgs {
  request: Request;
  context?: AppLoadContext;
  params: { slug?: string };
}

/** The request's competition, loaded once however many loaders of the request ask. */
function competitionOf(args: CompetitionArgs): Promise<LoadedCompetition | null> {
  const slug = args.params.slug ?? '';
  return oncePerRequest(args, `competition:${slug}`, () => loadCompetition(slug));
}

/** The competition permissions a page can ask of its visitor. */
export type CompetitionPermission = Extract<Permission, 'competition:manage' | 'competition:judge'>;

/**
 * The guard of every competition page: 404 for an unknown competition, then, when a permission
 * is named, the login redirect or 403 of requirePermission for that competition.
 */
export async function requireCompetition(args: CompetitionArgs): Promise<LoadedCompetition>;
export async function requireCompetition(
  args: CompetitionArgs,
  permission: CompetitionPermission,
): Promise<LoadedCompetition & { user: SessionUser }>;
export async function requireCompetition(args: CompetitionArgs, permission?: CompetitionPermission) {
  const competition = await competitionOf(args);
  if (!competition) throw new Response('Competition not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  if (!permission) return competition;
  const user = await requirePermission(args.request, permission, { competitionId: competition.base.id });
  return { ...competition, user };
}

import { createHash } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { Ballot, Competition, Proposal, ResultSnapshot } from '#models';
import { currentPhase, type PhaseWindow } from '~/features/competitions/phases';
import { audit } from '~/core/audit.server';
import { loadJudgingInputs } from '~/features/judging/inputs.server';
import { notifyMany } from '~/core/notifications.server';
import { isDuplicateKeyError } from '~/core/db.server';
import { computeOutcome, type AllocationMethod, type Outcome, type ResultInputs } from '~/features/results/allocation/outcome';

/**
 * From the database to a published result: gather the inputs (eligible proposals, judges' sheets
 * that count, the ballots that are not voided, the rules), preview both allocation methods,
 * and publish one as an immutable snapshot that reproduces from its stored inputs.
 */

/** Canonical JSON (keys sorted) so equal inputs always hash alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashInputs(inputs: ResultInputs): string {
  return createHash('sha256').update(canonicalJson(inputs)).digest('hex');
}

/** Judges appear as 评委A, 评委B… in a stable order (by account id), never by name. */
function judgeLetter(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : `J${index + 1}`;
}

function compareBallots(a: readonly string[], b: readonly string[]): number {
  const x = a.join(','), y = b.join(',');
  return x < y ? -1 : x > y ? 1 : 0;
}

export async function loadResultInputs(competitionId: string): Promise<ResultInputs | null> {
  const competition = await Competition.findById(competitionId).select('budgetFen voting').lean();
  const judging = await loadJudgingInputs(competitionId);
  if (!competition || !judging) return null;
  const [proposals, ballots] = await Promise.all([
    Proposal.find({ competition: competition._id, status: 'eligible' }).select('number title category street totalFen').sort({ number: 1 }).lean(),
    Ballot.find({ competition: competition._id, 'voided.at': mongoose.trusted({ $exists: false }) }).select('choices').sort({ _id: 1 }).lean(),
  ]);
  const judgeIds = [...new Set(judging.proposals.flatMap((p) => p.sheets.map((s) => s.judgeId)))].sort();
  const letter = new Map(judgeIds.map((id, i) => [id, judgeLetter(i)]));
  const eligible = new Set(proposals.map((p) => String(p._id)));
  return {
    budgetFen: competition.budgetFen,
    residentWeight: (competition.voting?.residentWeight ?? 50) / 100,
    normalise: judging.rubric.normalize,
    criteria: judging.rubric.criteria.map((c) => ({ key: c.key, weight: c.weight })),
    proposals: proposals.map((p) => ({
      id: String(p._id),
      number: p.number,
      title: p.title,
      category: p.category,
      street: p.street ? String(p.street) : '',
      cost: p.totalFen,
    })),
    sheets: judging.proposals.flatMap((p) => p.sheets.map((s) => ({ judge: letter.get(s.judgeId)!, proposal: p.proposalId, scores: s.scores }))),
    // Sorted by content, not kept in submission order: the published order reveals no one's choices.
    ballots: ballots.map((b) => b.choices.map(String).filter((id) => eligible.has(id)).sort()).sort(compareBallots),
  };
}

export interface Preview {
  greedy: Outcome;
  mes: Outcome;
}

/**
 * Previews computed lately, by the hash of their inputs (decision 008). The outcome is a pure
 * function of the inputs, so an entry can never be stale and every app instance would compute
 * the same one: a small cache in each process is correct across instances, needs no database
 * and no invalidation. A vote, a sheet or a rule that changes changes the hash. A deploy starts
 * new processes, so a cached outcome never outlives the code that computed it. Entries are
 * shared between requests and must not be mutated.
 */
const previews = new Map<string, Preview>();
const PREVIEWS_KEPT = 8;

export async function previewResults(competitionId: string): Promise<Preview | null> {
  const inputs = await loadResultInputs(competitionId);
  return inputs ? previewOf(inputs) : null;
}

/** Both methods' outcomes for these inputs, from the cache when the same inputs were seen lately. */
export function previewOf(inputs: ResultInputs): Preview {
  const key = hashInputs(inputs);
  const cached = previews.get(key);
  if (cached) {
    // Least recently used goes first: a hit moves the entry to the end.
    previews.delete(key);
    previews.set(key, cached);
    return cached;
  }
  const preview = { greedy: computeOutcome(inputs, 'greedy'), mes: computeOutcome(inputs, 'mes') };
  previews.set(key, preview);
  if (previews.size > PREVIEWS_KEPT) previews.delete(previews.keys().next().value!);
  return preview;
}

export type PublishResult = { ok: true } | { ok: false; reason: 'notFound' | 'alreadyPublished' | 'notYet' };

/** Publishing is possible once judging has started (the committee confirms when it is complete). */
function publishable(phases: PhaseWindow[], now: Date): boolean {
  const phase = currentPhase(phases, now);
  return phase === 'judging' || phase === 'results' || phase === 'implementation' || phase === 'closed';
}

export async function publishResults(input: { competitionId: string; slug: string; method: AllocationMethod; actorId: string; ip?: string; now?: Date }): Promise<PublishResult> {
  const now = input.now ?? new Date();
  const competition = await Competition.findById(input.competitionId).select('phases').lean();
  if (!competition) return { ok: false, reason: 'notFound' };
  if (!publishable(competition.phases, now)) return { ok: false, reason: 'notYet' };
  const inputs = await loadResultInputs(input.competitionId);
  if (!inputs) return { ok: false, reason: 'notFound' };
  const outcome = computeOutcome(inputs, input.method);
  const inputsHash = hashInputs(inputs);
  try {
    await ResultSnapshot.create({
      competition: new Types.ObjectId(input.competitionId),
      method: input.method,
      inputsHash,
      inputs,
      outcome,
      publishedBy: new Types.ObjectId(input.actorId),
      publishedAt: now,
    });
  } catch (error) {
    if (isDuplicateKeyError(error)) return { ok: false, reason: 'alreadyPublished' };
    throw error;
  }
  const fundedIds = outcome.lines.filter((l) => l.funded).map((l) => new Types.ObjectId(l.id));
  await Promise.all([
    Competition.updateOne({ _id: input.competitionId }, { $set: { resultsPublishedAt: now } }),
    Proposal.updateMany({ competition: input.competitionId, _id: mongoose.trusted({ $in: fundedIds }) }, { $set: { fundedAt: now } }),
  ]);
  await audit({
    actor: input.actorId,
    action: 'results.published',
    targetType: 'Competition',
    targetId: input.competitionId,
    after: { method: input.method, inputsHash, funded: outcome.lines.filter((l) => l.funded).map((l) => l.number), spent: outcome.spent },
    ip: input.ip,
  });
  const authors = await Proposal.find({ competition: input.competitionId, status: 'eligible' }).select('number authors').lean();
  const funded = new Map(outcome.lines.map((l) => [l.id, l.funded]));
  await notifyMany(
    authors.map((p) => ({
      recipientIds: p.authors.map(String),
      event: {
        type: 'resultPublished' as const,
        competitionSlug: input.slug,
        proposalNumber: p.number,
        proposalId: String(p._id),
        actorId: input.actorId,
        data: { funded: funded.get(String(p._id)) ? 1 : 0 },
      },
    })),
  );
  return { ok: true };
}

export interface PublishedResults {
  method: AllocationMethod;
  inputsHash: string;
  publishedAt: string;
  outcome: Outcome;
  /** Recomputed now from the stored inputs: equal to `outcome`, or the snapshot was altered. */
  reproduces: boolean;
  inputs: ResultInputs;
}

export async function getPublishedResults(competitionId: string): Promise<PublishedResults | null> {
  const snapshot = await ResultSnapshot.findOne({ competition: competitionId }).lean();
  if (!snapshot) return null;
  const inputs = snapshot.inputs as ResultInputs;
  const outcome = snapshot.outcome as Outcome;
  const recomputed = computeOutcome(inputs, snapshot.method);
  return {
    method: snapshot.method,
    inputsHash: snapshot.inputsHash,
    publishedAt: snapshot.publishedAt.toISOString(),
    outcome,
    reproduces: hashInputs(inputs) === snapshot.inputsHash && canonicalJson(recomputed) === canonicalJson(outcome),
    inputs,
  };
}

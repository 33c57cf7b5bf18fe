import mongoose, { Types } from 'mongoose';
import { Ballot, Residency, User } from '#models';
import { countingVerification, type ResidencyScope } from './residency';
import { findBursts } from './rules';

/**
 * Who verified this competition's voters (the anomalies page): for each verifier, how many of the
 * voters' verifications they gave, their largest burst (verifications within one hour), and the
 * share of the competition's counted ballots cast on their verifications. A ballot is attributed
 * to the verification that counted when it was cast (countingVerification at its time); one whose
 * verification was replaced since is "unknown". A code counts as its batch.
 */

export const VERIFIER_WINDOW_MS = 60 * 60 * 1000;
export const VERIFIER_THRESHOLD = 30;
/** The page lists the verifiers with the most ballots first, at most this many. */
export const VERIFIER_ROWS = 50;
const CHUNK = 1000;

export interface VerifierRow {
  key: string;
  kind: 'user' | 'batch' | 'unknown';
  label: string;
  verifications: number;
  ballots: number;
  share: number;
  burst: { count: number; from: string; to: string } | null;
}

type Stored = {
  _id: Types.ObjectId;
  resident: Types.ObjectId;
  scope: ResidencyScope;
  competition?: Types.ObjectId | null;
  street: Types.ObjectId;
  community: Types.ObjectId;
  validFrom?: Date | null;
  validUntil?: Date | null;
  verifiedAt: Date;
  revokedAt?: Date | null;
  verifiedBy?: Types.ObjectId | null;
  evidence?: { codeBatch?: string | null } | null;
};

function verifierKey(v: Stored): { key: string; kind: VerifierRow['kind'] } {
  if (v.verifiedBy) return { key: `user:${String(v.verifiedBy)}`, kind: 'user' };
  if (v.evidence?.codeBatch) return { key: `batch:${v.evidence.codeBatch}`, kind: 'batch' };
  return { key: 'unknown', kind: 'unknown' };
}

export async function verifierAnomalies(ctx: { id: string; eligibleStreets: string[] }) {
  const competition = new Types.ObjectId(ctx.id);
  const ballots = (await Ballot.find({ competition }).select('voter submittedAt voided').lean()).filter((b) => !b.voided?.at);
  const voters = [...new Set(ballots.map((b) => String(b.voter)))].map((id) => new Types.ObjectId(id));
  const byVoter = new Map<string, Stored[]>();
  for (let i = 0; i < voters.length; i += CHUNK) {
    const docs = (await Residency.find({ resident: mongoose.trusted({ $in: voters.slice(i, i + CHUNK) }) })
      .select('resident scope competition street community validFrom validUntil verifiedAt revokedAt verifiedBy evidence')
      .lean()) as Stored[];
    for (const doc of docs) byVoter.set(String(doc.resident), [...(byVoter.get(String(doc.resident)) ?? []), doc]);
  }

  const rows = new Map<string, Omit<VerifierRow, 'label' | 'share' | 'burst'>>();
  const counted = new Map<string, Stored>();
  const row = (key: string, kind: VerifierRow['kind']) => {
    const existing = rows.get(key) ?? { key, kind, verifications: 0, ballots: 0 };
    rows.set(key, existing);
    return existing;
  };
  for (const ballot of ballots) {
    const found = countingVerification(byVoter.get(String(ballot.voter)) ?? [], ctx, ballot.submittedAt);
    if (!found.ok) {
      row('unknown', 'unknown').ballots += 1;
      continue;
    }
    const { key, kind } = verifierKey(found.verification);
    row(key, kind).ballots += 1;
    counted.set(String(found.verification._id), found.verification);
  }
  for (const v of counted.values()) {
    const { key, kind } = verifierKey(v);
    row(key, kind).verifications += 1;
  }
  const bursts = new Map(
    findBursts(
      [...counted.values()].map((v) => ({ key: verifierKey(v).key, at: v.verifiedAt })),
      VERIFIER_WINDOW_MS,
      VERIFIER_THRESHOLD,
    ).map((b) => [b.key, { count: b.count, from: b.from.toISOString(), to: b.to.toISOString() }]),
  );
  const sorted = [...rows.values()].sort((a, b) => (bursts.has(b.key) ? 1 : 0) - (bursts.has(a.key) ? 1 : 0) || b.ballots - a.ballots || a.key.localeCompare(b.key));
  const shown = sorted.slice(0, VERIFIER_ROWS);
  const userIds = shown.filter((r) => r.kind === 'user').map((r) => new Types.ObjectId(r.key.slice('user:'.length)));
  const names = new Map((userIds.length ? await User.find({ _id: mongoose.trusted({ $in: userIds }) }).select('name').lean() : []).map((u) => [`user:${String(u._id)}`, u.name]));
  return {
    verifierWindowMinutes: VERIFIER_WINDOW_MS / 60_000,
    verifierThreshold: VERIFIER_THRESHOLD,
    countedBallots: ballots.length,
    verifierTotal: rows.size,
    verifiers: shown.map(
      (r): VerifierRow => ({
        ...r,
        label: r.kind === 'user' ? (names.get(r.key) ?? r.key.slice(5)) : r.kind === 'batch' ? r.key.slice('batch:'.length) : '',
        share: ballots.length ? r.ballots / ballots.length : 0,
        burst: bursts.get(r.key) ?? null,
      }),
    ),
  };
}

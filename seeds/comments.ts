import mongoose, { Types } from 'mongoose';
import { Comment, Notification, Proposal, RateLimit } from '#models';
import { addComment, hideComment, reportComment } from '~/features/proposals/comments.server';
import { getCompetitionRules, type CompetitionRules } from '~/features/proposals/competition-rules.server';
import type { SessionUser } from '~/core/auth.server';
import { DEMO_THREADS, type DemoComment } from './proposals-data';

const HOUR = 3_600_000;
const SHANGHAI_OFFSET = 8 * HOUR;

interface Target {
  id: Types.ObjectId;
  number: number;
  authors: string[];
  rules: CompetitionRules;
  submittedAt: Date;
}

interface Written {
  id: string;
  target: Target;
  author: string;
  spec: DemoComment;
  /** Position in the whole conversation, for choosing reporters. */
  order: number;
}

/**
 * The conversations of DEMO_THREADS, written through the comments service so its rules hold
 * (proposers' replies marked, counts kept, followers and authors notified). Comments on the
 * closed 2025 competition, which the service refuses, are written as they were then: straight
 * to the model, counted the same way. Then reports and the committee's hiding, and finally
 * plausible dates: each conversation spread over the days after its proposal was submitted.
 */
export async function seedComments(input: { residents: string[]; demoResident: string; committee: SessionUser }) {
  const rules = new Map<string, CompetitionRules>();
  for (const slug of ['2025-laoshanxing', '2026-laoshanxing']) {
    const found = await getCompetitionRules(slug);
    if (!found) throw new Error(`seed: competition ${slug} is missing`);
    rules.set(found.id, found);
  }
  const proposals = await Proposal.find({ title: mongoose.trusted({ $in: DEMO_THREADS.map((t) => t.proposal) }) })
    .select('competition number title authors submittedAt')
    .lean();
  const byTitle = new Map(
    proposals.map((p) => [
      p.title,
      { id: p._id, number: p.number, authors: p.authors.map(String), rules: rules.get(String(p.competition))!, submittedAt: p.submittedAt ?? new Date() },
    ]),
  );

  // Residents take turns (17 is prime to 60, so everyone speaks about once), never on their own proposal.
  let turn = 0;
  const nextResident = (exclude: string[]) => {
    for (;;) {
      const candidate = input.residents[(turn++ * 17 + 5) % input.residents.length]!;
      if (!exclude.includes(candidate) && candidate !== input.demoResident) return candidate;
    }
  };
  const written: Written[] = [];
  const write = async (target: Target, spec: DemoComment, parentId?: string) => {
    const author = spec.by === 'author' ? target.authors[0]! : spec.by === 'demoResident' ? input.demoResident : nextResident(target.authors);
    const result = await addComment({ rules: target.rules, number: target.number, userId: author, body: spec.body, parentId });
    let id: string;
    if (result.ok) id = result.id;
    else if (result.reason === 'closed') id = await writeClosed(target, author, spec.body, parentId);
    else throw new Error(`seed: comment on ${target.number} refused (${result.reason})`);
    written.push({ id, target, author, spec, order: written.length });
    return id;
  };

  for (const thread of DEMO_THREADS) {
    const target = byTitle.get(thread.proposal);
    if (!target) throw new Error(`seed: no proposal titled ${thread.proposal}`);
    for (const comment of thread.comments) {
      const id = await write(target, comment);
      for (const reply of comment.replies ?? []) await write(target, reply, id);
    }
  }

  for (const { id, target, author, spec, order } of written) {
    for (let n = 0; n < (spec.reports ?? 0); n++) {
      const reporter = pick(input.residents, order * 7 + n * 11 + 2, [author, input.demoResident]);
      // The advertisement the committee hides is reported as spam; the rest as off-topic.
      const reason = spec.hide ? 'spam' : 'offTopic';
      const reported = await reportComment({ rules: target.rules, number: target.number, userId: reporter, commentId: id, reason });
      if (!reported.ok) throw new Error(`seed: report refused (${reported.reason})`);
    }
    if (spec.hide) {
      const hidden = await hideComment({ rules: target.rules, number: target.number, actor: input.committee, commentId: id, reason: spec.hide });
      if (!hidden.ok) throw new Error(`seed: hiding refused (${hidden.reason})`);
    }
  }

  await spreadOverTime(written);
  // The demo's comments should not use up anyone's allowance for the next ten minutes.
  await RateLimit.deleteMany({ key: mongoose.trusted({ $regex: '^comment:' }) });
}

/** The first of `list` from position `from` on (wrapping around) that is not excluded. */
function pick(list: string[], from: number, exclude: string[]): string {
  for (let i = 0; i < list.length; i++) {
    const candidate = list[(from + i) % list.length]!;
    if (!exclude.includes(candidate)) return candidate;
  }
  throw new Error('seed: nobody left to pick');
}

async function writeClosed(target: Target, author: string, body: string, parentId?: string): Promise<string> {
  const comment = await Comment.create({
    proposal: target.id,
    author,
    parent: parentId,
    body,
    byProposer: target.authors.includes(author),
  });
  await Proposal.updateOne({ _id: target.id }, { $inc: { commentCount: 1 } });
  return String(comment._id);
}

/**
 * The same instant's day in Shanghai with its 24 hours squeezed into 08:00–22:00, keeping the
 * order: residents do not comment at four in the morning.
 */
function waking(at: number): number {
  const local = at + SHANGHAI_OFFSET;
  const day = Math.floor(local / (24 * HOUR)) * 24 * HOUR;
  return day + 8 * HOUR + ((local - day) * 14) / 24 - SHANGHAI_OFFSET;
}

/**
 * Comments (and the notifications about them) dated a few hours to two days apart after their
 * proposal was submitted, in the order they were written, and never in the future. Written
 * through the driver: timestamps are otherwise set by mongoose and createdAt is immutable.
 */
async function spreadOverTime(written: Written[]) {
  const now = Date.now();
  const byProposal = new Map<string, Written[]>();
  for (const w of written) byProposal.set(String(w.target.id), [...(byProposal.get(String(w.target.id)) ?? []), w]);
  for (const list of byProposal.values()) {
    const start = list[0]!.target.submittedAt.getTime();
    const step = Math.min(2 * 24 * HOUR, (now - start) / (list.length + 1));
    for (const [k, { id, order }] of list.entries()) {
      // A little irregularity, from the position (the demo stays the same on every run).
      const at = new Date(Math.min(now - (list.length - k) * 60_000, waking(start + (k + 1) * step - ((order * 7) % 5) * (step / 10))));
      await Comment.collection.updateOne({ _id: new Types.ObjectId(id) }, { $set: { createdAt: at, updatedAt: at } });
      await Notification.collection.updateMany({ 'data.commentId': id }, { $set: { createdAt: at } });
    }
  }
}

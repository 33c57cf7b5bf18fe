import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { Follow, Notification, Proposal } from '#models';
import { createCompetition, createUser, insertProposal } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { loader as rootLoader } from '~/root';
import { action as commentsAction } from '~/routes/competitions.$slug.proposals.$number.comments/route';
import { action as loginAction } from '~/routes/login/route';
import { action as notificationsAction, loader as notificationsLoader } from '~/routes/notifications/route';
import { addComment } from '~/features/proposals/comments.server';
import {
  listNotifications,
  markAllRead,
  markRead,
  notify,
  notifyFollowers,
  notifyProposalAuthors,
  unreadCount,
} from '~/core/notifications.server';
import { getCompetitionRules, type CompetitionRules } from '~/features/proposals/competition-rules.server';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

type User = Awaited<ReturnType<typeof createUser>>;

let rules: CompetitionRules;
let counter = 0;

async function user(): Promise<User> {
  return createUser({ email: `notify-${counter++}-${Math.random().toString(36).slice(2)}@example.test` });
}

async function signIn(person: User): Promise<CookieJar> {
  const outcome = await call(loginAction, formRequest('/login', { identifier: person.email ?? '', password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return new CookieJar().take(outcome.headers);
}

/** A public proposal with these authors (the first created it) and followers. */
async function proposalWith(authors: User[], followers: User[] = []) {
  const doc = await insertProposal({ competition: new Types.ObjectId(rules.id), author: authors[0]!._id });
  await Proposal.updateOne({ _id: doc._id }, { $set: { authors: authors.map((a) => a._id) } });
  if (followers.length) await Follow.insertMany(followers.map((f) => ({ proposal: doc._id, user: f._id })));
  return doc;
}

const ids = (people: User[]) => people.map((p) => String(p._id)).sort();

async function notified(proposalId: Types.ObjectId) {
  const docs = await Notification.find({ proposal: proposalId }).lean();
  return docs.map((d) => ({ recipient: String(d.recipient), type: d.type })).sort((a, b) => (a.recipient < b.recipient ? -1 : 1));
}

beforeAll(async () => {
  await createCompetition({ slug: 'notify-test' });
  rules = (await getCompetitionRules('notify-test'))!;
});

describe('who is told about a comment', () => {
  it('one comment by X on a proposal with 3 authors and followers tells each of them once, not X', async () => {
    const authors = [await user(), await user(), await user()];
    const followers = [await user(), await user()];
    const x = await user();
    // An author who also follows, and X who follows too, must still get one notification / none.
    const proposal = await proposalWith(authors, [...followers, authors[1]!, x]);
    const before = await Notification.countDocuments();

    const result = await addComment({ rules, number: proposal.number, userId: String(x._id), body: '支持这个提案' });
    expect(result.ok).toBe(true);

    // Five notifications in all, every one about this proposal: one per author and follower.
    expect(await Notification.countDocuments()).toBe(before + 5);
    const rows = await notified(proposal._id);
    expect(rows.map((r) => r.recipient)).toEqual(ids([...authors, ...followers]));
    expect(rows.filter((r) => r.type === 'newComment').map((r) => r.recipient).sort()).toEqual(ids(authors));
    expect(rows.filter((r) => r.type === 'followedUpdate').map((r) => r.recipient).sort()).toEqual(ids(followers));
    expect(rows.some((r) => r.recipient === String(x._id))).toBe(false);
  });

  it('a reply tells the parent comment\'s author that someone replied, once, even when they also follow', async () => {
    const author = await user();
    const commenter = await user();
    const replier = await user();
    const proposal = await proposalWith([author], [commenter]);
    const top = await addComment({ rules, number: proposal.number, userId: String(commenter._id), body: '请问预算怎么算的？' });
    await Notification.deleteMany({ proposal: proposal._id });

    await addComment({ rules, number: proposal.number, userId: String(replier._id), body: '同问', parentId: top.ok ? top.id : '' });
    expect(await notified(proposal._id)).toEqual(
      [
        { recipient: String(author._id), type: 'newComment' },
        { recipient: String(commenter._id), type: 'commentReply' },
      ].sort((a, b) => (a.recipient < b.recipient ? -1 : 1)),
    );
  });

  it('the proposer replying to a comment on their own proposal is not told about it', async () => {
    const author = await user();
    const commenter = await user();
    const proposal = await proposalWith([author]);
    const top = await addComment({ rules, number: proposal.number, userId: String(commenter._id), body: '有问题想问' });
    await Notification.deleteMany({ proposal: proposal._id });
    await addComment({ rules, number: proposal.number, userId: String(author._id), body: '请讲', parentId: top.ok ? top.id : '' });
    expect(await notified(proposal._id)).toEqual([{ recipient: String(commenter._id), type: 'commentReply' }]);
  });
});

describe('notifying', () => {
  it('notify deduplicates recipients, skips the actor and ids that are not ids, and says how many it wrote', async () => {
    const [a, b, actor] = [await user(), await user(), await user()];
    const before = await Notification.countDocuments();
    const written = await notify([String(a._id), String(b._id), String(a._id), String(actor._id), 'not-an-id'], {
      type: 'coAuthorInvitation',
      competitionSlug: rules.slug,
      proposalNumber: 7,
      actorId: String(actor._id),
    });
    expect(written).toBe(2);
    expect(await Notification.countDocuments()).toBe(before + 2);
    expect(await Notification.countDocuments({ recipient: a._id })).toBe(1);
    expect(await Notification.countDocuments({ recipient: b._id })).toBe(1);
    expect(await Notification.countDocuments({ recipient: actor._id })).toBe(0);
    expect(await notify([String(actor._id)], { type: 'coAuthorInvitation', competitionSlug: rules.slug, actorId: String(actor._id) })).toBe(0);
    expect(await Notification.countDocuments()).toBe(before + 2);
  });

  it('notifyProposalAuthors tells each author once; notifyFollowers each follower once, leaving out those told already', async () => {
    const authors = [await user(), await user()];
    const followers = [await user(), await user(), await user()];
    // The first author follows too: told as an author, not again as a follower.
    const proposal = await proposalWith(authors, [...followers, authors[0]!]);
    const proposalId = String(proposal._id);
    const event = { competitionSlug: rules.slug, proposalNumber: proposal.number };
    const before = await Notification.countDocuments();

    expect(await notifyProposalAuthors(proposalId, { ...event, type: 'screeningResult', data: { status: 'eligible' } })).toBe(2);
    expect(await notifyFollowers(proposalId, { ...event, type: 'followedUpdate', data: { status: 'eligible' } }, { except: ids(authors) })).toBe(3);
    expect(await Notification.countDocuments()).toBe(before + 5);
    const rows = await notified(proposal._id);
    expect(rows.filter((r) => r.type === 'screeningResult').map((r) => r.recipient)).toEqual(ids(authors));
    expect(rows.filter((r) => r.type === 'followedUpdate').map((r) => r.recipient)).toEqual(ids(followers));
    // Unknown or malformed proposal ids tell nobody.
    expect(await notifyProposalAuthors(new Types.ObjectId().toHexString(), { ...event, type: 'screeningResult' })).toBe(0);
    expect(await notifyFollowers('not-an-id', { ...event, type: 'followedUpdate' })).toBe(0);
    expect(await Notification.countDocuments()).toBe(before + 5);

    const list = await listNotifications(String(authors[0]!._id), 1);
    expect(list.items).toEqual([
      expect.objectContaining({ message: 'screeningResult', status: 'eligible', proposalTitle: proposal.title, href: `/competitions/${rules.slug}/proposals/${proposal.number}` }),
    ]);
    const followerList = await listNotifications(String(followers[0]!._id), 1);
    expect(followerList.items[0]).toMatchObject({ message: 'followedStatus', status: 'eligible' });
  });
});

describe('the notification centre', () => {
  it('counts unread ones, lists newest first a page at a time, and marks all read', async () => {
    const reader = await user();
    const actor = await user();
    for (let i = 1; i <= 23; i++) {
      await notify([String(reader._id)], { type: 'followedUpdate', competitionSlug: rules.slug, proposalNumber: i, actorId: String(actor._id) });
    }
    expect(await unreadCount(String(reader._id))).toBe(23);
    const jar = await signIn(reader);

    const root = await call<{ user: { unreadNotifications: number } }>(rootLoader, getRequest('/', { jar }));
    expect(root.data.user.unreadNotifications).toBe(23);

    const first = await call<Awaited<ReturnType<typeof listNotifications>>>(notificationsLoader, getRequest('/notifications', { jar }));
    expect(first.data).toMatchObject({ total: 23, unread: 23, page: 1, pages: 2 });
    expect(first.data.items).toHaveLength(20);
    expect(first.data.items[0]).toMatchObject({ read: false, actorName: actor.name, href: `/competitions/${rules.slug}/proposals/23` });
    const second = await call<Awaited<ReturnType<typeof listNotifications>>>(notificationsLoader, getRequest('/notifications?page=2', { jar }));
    expect(second.data.items.map((item) => item.href.split('/').at(-1))).toEqual(['3', '2', '1']);

    const done = await call(notificationsAction, formRequest('/notifications', { intent: 'readAll' }, { jar }));
    expect(done).toRedirectTo('/notifications', 303);
    await expect(done).toSendToast({ type: 'success', key: 'notifications:toast.allRead' });
    expect(await unreadCount(String(reader._id))).toBe(0);
    expect((await listNotifications(String(reader._id), 1)).items.every((item) => item.read)).toBe(true);
  });

  it('opening a notification marks it read and leads to the comment it is about', async () => {
    const author = await user();
    const commenter = await user();
    const proposal = await proposalWith([author]);
    const commenterJar = await signIn(commenter);
    const posted = await call(
      commentsAction,
      formRequest(`/competitions/${rules.slug}/proposals/${proposal.number}/comments`, { intent: 'add', body: '我想报名当志愿者' }, { jar: commenterJar }),
      { slug: rules.slug, number: String(proposal.number) },
    );
    const jar = await signIn(author);
    const [item] = (await listNotifications(String(author._id), 1)).items;
    expect(item).toMatchObject({ message: 'newComment', actorName: commenter.name, proposalTitle: proposal.title, read: false });
    // The commenter lands on their comment; the author's notification leads to the same place.
    expect(posted).toRedirectTo(item!.href, 303);

    const opened = await call(notificationsAction, formRequest('/notifications', { intent: 'open', id: item!.id }, { jar }));
    expect(opened).toRedirectTo(item!.href, 303);
    await expect(opened).not.toSendToast();
    expect(await unreadCount(String(author._id))).toBe(0);
  });

  it('nobody can mark someone else\'s notification read', async () => {
    const owner = await user();
    const intruder = await user();
    await notify([String(owner._id)], { type: 'coAuthorInvitation', competitionSlug: rules.slug, proposalNumber: 1 });
    const mine = await Notification.findOne({ recipient: owner._id }).lean();
    const id = String(mine?._id);

    expect(await markRead(String(intruder._id), id)).toBeNull();
    const jar = await signIn(intruder);
    const outcome = await call(notificationsAction, formRequest('/notifications', { intent: 'open', id }, { jar }));
    expect(outcome).toRedirectTo('/notifications', 303);
    await expect(outcome).toSendToast({ type: 'error', key: 'notifications:toast.notFound' });
    expect(await markAllRead(String(intruder._id))).toBe(0);
    expect((await Notification.findById(id).lean())?.readAt).toBeFalsy();
    expect(await unreadCount(String(owner._id))).toBe(1);
  });

  it('an anonymous visitor is sent to log in', async () => {
    const outcome = await call(notificationsLoader, getRequest('/notifications'));
    expect(outcome).toRedirectTo('/login?redirectTo=%2Fnotifications', 302);
    const action = await call(notificationsAction, formRequest('/notifications', { intent: 'readAll' }));
    expect(action).toRedirectTo('/login?redirectTo=%2Fnotifications', 302);
  });
});

import { buffer } from 'node:stream/consumers';
import mongoose from 'mongoose';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AuditLog, ChecklistTemplate, Comment, Community, Competition, Follow, Helper, MentorSession, MilestoneReport, Need, NeedDetail, NeedLink, Notification, Organization, Pledge, Project, ProjectClosing, ProjectRating, Proposal, RateLimit, ServiceLog, Street, TeamInvitation, User, VolunteerActivity, VolunteerProfile, VolunteerSignup, Wish } from '#models';
import { CATEGORIES, DEMO_MENTOR_EMAIL, OFFLINE_RESIDENTS, STREETS } from '#seeds/data';
import { ASSISTED_PROPOSALS } from '#seeds/proposals-data';
import { DEMO_HELPERS, DEMO_NEEDS } from '#seeds/needs';
import { DEMO_RESIDENTS, seedDemo, seedIfEmpty } from '#seeds/seed';
import { getPublishedResults } from '~/features/results/results.server';
import { loader as homeLoader } from '~/routes/_index/route';
import { readImage } from '~/core/uploads.server';
import { PUBLIC_STATUSES } from '~/features/proposals/proposals';
import { CHECKLIST_STAGES, INCUBATION_STAGES } from '~/features/organizations/organizations';
import { DEFAULT_NEED_CATEGORIES, NEED_STATUSES } from '~/features/needs/needs';
import { identifyingDetails } from '~/features/needs/rules';
import { call, getRequest } from '../support/http';

/** The tests share one seeded database (the file's); each can also run alone. */
async function ensureSeeded() {
  if (!(await Competition.exists({ slug: '2026-laoshanxing' }))) await seedDemo();
}

describe('demo data', () => {
  it('loads Laoshan\'s streets, people in every role and the two competitions, once', async () => {
    expect(await seedIfEmpty()).toBe(true);
    expect(await seedIfEmpty()).toBe(false);

    const streets = await Street.find().sort({ order: 1 }).lean();
    expect(streets.map((s) => s.name.zh)).toEqual(['中韩街道', '沙子口街道', '王哥庄街道', '北宅街道', '金家岭街道']);
    expect(await Community.countDocuments()).toBeGreaterThanOrEqual(15);

    const roles = await User.aggregate<{ _id: string; n: number }>([
      { $unwind: '$roles' },
      { $group: { _id: '$roles.role', n: { $sum: 1 } } },
    ]);
    const byRole = Object.fromEntries(roles.map((r) => [r._id, r.n]));
    // The three judges judge every competition; the committee runs each.
    expect(byRole).toMatchObject({ admin: 1, committee: 3, judge: 9, gridWorker: 5 });
    expect(byRole.resident).toBeGreaterThanOrEqual(DEMO_RESIDENTS);
    expect(await User.countDocuments({ phone: mongoose.trusted({ $regex: '^139' }) })).toBe(DEMO_RESIDENTS);

    const c2026 = await Competition.findOne({ slug: '2026-laoshanxing' }).lean();
    expect(c2026?.budgetFen).toBe(200_000_000);
    expect(c2026?.categories).toHaveLength(8);
    expect(await Competition.exists({ slug: '2025-laoshanxing' })).not.toBeNull();
    // The whole demo is loaded here: about 20 s alone, over 30 s on a busy two-core machine.
  }, 120_000);

  it('holds about forty proposals in all eight directions and five streets, across the flow, each within its competition\'s limits', async () => {
    await ensureSeeded();
    const competitions = new Map((await Competition.find().select('minRequestFen maxRequestFen').lean()).map((c) => [String(c._id), c]));
    const proposals = await Proposal.find().select('category status competition street totalFen followerCount').lean();
    expect(proposals.length).toBeGreaterThanOrEqual(40);
    // With the 2024 pilot's eight (seeds/history-2024.ts).
    expect(proposals.length).toBeLessThanOrEqual(56);
    expect(new Set(proposals.map((p) => p.category)).size).toBe(8);
    expect(new Set(proposals.map((p) => String(p.street))).size).toBe(5);
    expect(new Set(proposals.map((p) => p.status))).toEqual(new Set(['draft', 'submitted', 'changesRequested', 'withdrawn', 'eligible', 'ineligible']));
    for (const p of proposals) {
      const limits = competitions.get(String(p.competition))!;
      expect(p.totalFen, `proposal total ${p.totalFen}`).toBeGreaterThanOrEqual(limits.minRequestFen);
      expect(p.totalFen, `proposal total ${p.totalFen}`).toBeLessThanOrEqual(limits.maxRequestFen);
    }
    const follows = await Follow.countDocuments();
    expect(proposals.reduce((sum, p) => sum + p.followerCount, 0)).toBe(follows);
  });

  it('reads as residents wrote it: distinct titles, whole sentences naming the place, no sentence shared between proposals, totals that add up', async () => {
    await ensureSeeded();
    const proposals = await Proposal.find()
      .select('title summary problem plan schedule outcomes sustainability budget totalFen beneficiaries status statusHistory community')
      .populate<{ community: { name: { zh: string }; street: { name: { zh: string } } } }>({ path: 'community', select: 'name street', populate: { path: 'street', select: 'name' } })
      .lean();
    const sentences = (text: string) => text.split(/(?<=[。！？])/).filter((s) => s.trim());
    expect(new Set(proposals.map((p) => p.title)).size).toBe(proposals.length);
    const seen = new Map<string, string>();
    for (const p of proposals) {
      for (const text of [p.summary, p.problem, p.plan, p.schedule, p.outcomes, p.sustainability]) expect(text, p.title).toMatch(/[。！？]$/);
      expect(sentences(p.problem).length, p.title).toBeGreaterThanOrEqual(2);
      expect(sentences(p.plan).length, p.title).toBeGreaterThanOrEqual(3);
      // The texts say where: the proposal's own community or street (without 社区/街道, e.g. 卧龙村).
      const place = [p.community.name.zh, p.community.street.name.zh].map((name) => name.replace(/(社区|街道)$/, ''));
      expect(place.some((name) => `${p.title}${p.summary}${p.problem}`.includes(name)), p.title).toBe(true);
      // A sentence repeated across proposals is a template showing through.
      for (const sentence of [p.problem, p.plan, p.schedule, p.outcomes, p.sustainability].flatMap(sentences)) {
        if (sentence.length < 12) continue;
        expect(seen.get(sentence) ?? p.title, sentence).toBe(p.title);
        seen.set(sentence, p.title);
      }
      expect(p.totalFen, p.title).toBe(p.budget.reduce((sum, line) => sum + line.quantity * line.unitPriceFen, 0));
      expect(p.budget.every((line) => Number.isInteger(line.unitPriceFen) && line.unitPriceFen > 0)).toBe(true);
      expect(p.beneficiaries.length, p.title).toBeGreaterThan(0);
    }
    // Each ineligible proposal has its own reason, not one sentence for all.
    const reasons = proposals.filter((p) => p.status === 'ineligible').map((p) => p.statusHistory.at(-1)?.reason);
    expect(reasons.every(Boolean)).toBe(true);
    expect(new Set(reasons).size).toBe(reasons.length);

    // What the demo shows in English is English.
    const cjk = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;
    const competitions = await Competition.find().select('title summary categories').lean();
    const english = [
      ...competitions.flatMap((c) => [c.title.en, c.summary.en, ...c.categories.map((k) => k.name.en)]),
      ...(await Street.find().select('name').lean()).map((s) => s.name.en),
      ...(await Community.find().select('name').lean()).map((c) => c.name.en),
    ];
    expect(english.length).toBeGreaterThan(2 * (2 + CATEGORIES.length) + STREETS.length);
    for (const text of english) {
      expect(text, String(text)).toBeTruthy();
      expect(text, String(text)).not.toMatch(cjk);
    }
  });

  it('gives about half of the public proposals one to three generated photos, stored re-encoded in GridFS and readable', async () => {
    await ensureSeeded();
    const publicOnes = await Proposal.find({ status: mongoose.trusted({ $in: PUBLIC_STATUSES }) }).select('photos authors').lean();
    const withPhotos = publicOnes.filter((p) => p.photos.length > 0);
    expect(withPhotos.length / publicOnes.length).toBeGreaterThan(0.4);
    expect(withPhotos.length / publicOnes.length).toBeLessThan(0.6);
    expect(withPhotos.every((p) => p.photos.length >= 1 && p.photos.length <= 3)).toBe(true);

    const photos = withPhotos.flatMap((p) => p.photos.map((photo) => ({ ...photo, author: String(p.authors[0]) })));
    for (const photo of photos) {
      expect(photo.peopleConsent).toBe(false);
      const full = await readImage(photo.fileId, 'full');
      expect(full).toMatchObject({ contentType: 'image/jpeg', visibility: 'public', uploaderId: photo.author });
      full!.stream.destroy();
    }
    const [first] = photos;
    const full = await readImage(first!.fileId, 'full');
    const data = await buffer(full!.stream);
    const metadata = await sharp(data).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 960, height: 720 });
    expect(metadata.exif).toBeUndefined();
    const thumb = await readImage(first!.fileId, 'thumb');
    expect(thumb?.contentType).toBe('image/webp');
    expect((await sharp(await buffer(thumb!.stream)).metadata()).width).toBe(480);
  });

  it('has about sixty comments with replies, proposers\' answers, reports and one hidden comment, with every count right', async () => {
    await ensureSeeded();
    const comments = await Comment.find().select('+reports').lean();
    expect(comments.length).toBeGreaterThanOrEqual(55);
    expect(comments.length).toBeLessThanOrEqual(70);

    const proposals = await Proposal.find().select('authors commentCount status').lean();
    const byId = new Map(proposals.map((p) => [String(p._id), p]));
    for (const p of proposals) {
      const visible = comments.filter((c) => String(c.proposal) === String(p._id) && !c.hidden).length;
      expect(p.commentCount).toBe(visible);
    }
    expect(comments.every((c) => PUBLIC_STATUSES.includes(byId.get(String(c.proposal))!.status as never))).toBe(true);

    // One level of replies, each after its parent, on the same proposal.
    const byComment = new Map(comments.map((c) => [String(c._id), c]));
    const replies = comments.filter((c) => c.parent);
    expect(replies.length).toBeGreaterThanOrEqual(15);
    for (const reply of replies) {
      const parent = byComment.get(String(reply.parent))!;
      expect(parent.parent).toBeUndefined();
      expect(String(parent.proposal)).toBe(String(reply.proposal));
      expect(reply.createdAt.getTime()).toBeGreaterThan(parent.createdAt.getTime());
    }
    expect(comments.every((c) => c.createdAt.getTime() <= Date.now())).toBe(true);
    // Written in waking hours (Shanghai), not at four in the morning.
    const hour = (at: Date) => Number(at.toLocaleString('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }));
    expect(comments.filter((c) => hour(c.createdAt) < 8 || hour(c.createdAt) >= 22).map((c) => c.createdAt)).toEqual([]);

    // Marked as the proposer's reply exactly when one of the proposal's authors wrote it.
    const byProposer = comments.filter((c) => c.byProposer);
    expect(byProposer.length).toBeGreaterThanOrEqual(10);
    for (const c of comments) {
      expect(c.byProposer).toBe(byId.get(String(c.proposal))!.authors.some((a) => a.equals(c.author)));
    }

    const committee = await User.findOne({ email: 'committee@demo.laoshanxing.cn' }).lean();
    const hidden = comments.filter((c) => c.hidden);
    expect(hidden).toHaveLength(1);
    expect(hidden[0]!.hidden).toMatchObject({ by: committee!._id, reason: '广告信息，与提案无关。' });
    expect(hidden[0]!.body).toContain('加微信');
    expect(await AuditLog.countDocuments({ action: 'comment.hidden', targetId: String(hidden[0]!._id) })).toBe(1);

    const reported = comments.filter((c) => c.reportCount > 0);
    expect(reported.length).toBeGreaterThanOrEqual(2);
    for (const c of reported) {
      expect(c.reports).toHaveLength(c.reportCount);
      expect(c.reports.some((r) => r.by.equals(c.author))).toBe(false);
    }
    // Writing the demo's comments leaves nobody rate-limited.
    expect(await RateLimit.countDocuments({ key: mongoose.trusted({ $regex: '^comment:' }) })).toBe(0);
  });

  it('has offline residents registered by grid workers, three of them with proposals submitted for them with recorded consent', async () => {
    await ensureSeeded();
    const offline = await User.find({ assistedBy: mongoose.trusted({ $exists: true }) }).select('+passwordHash name phone street assistedBy').lean();
    expect(offline.map((u) => u.name).sort()).toEqual(OFFLINE_RESIDENTS.map((r) => r.name).sort());
    expect(offline.every((u) => !u.passwordHash)).toBe(true);
    expect(offline.filter((u) => !u.phone).length).toBeGreaterThanOrEqual(2);
    expect(offline.some((u) => u.phone)).toBe(true);
    for (const resident of offline) {
      const worker = await User.findById(resident.assistedBy).lean();
      expect(worker?.roles.some((g) => g.role === 'gridWorker' && g.scopeType === 'street' && g.scopeId?.equals(resident.street))).toBe(true);
    }
    expect(await AuditLog.countDocuments({ action: 'resident.registeredOffline' })).toBe(OFFLINE_RESIDENTS.length);

    const assisted = await Proposal.find({ 'assisted.worker': mongoose.trusted({ $exists: true }) }).lean();
    expect(assisted).toHaveLength(3);
    const c2026 = await Competition.findOne({ slug: '2026-laoshanxing' }).lean();
    expect(assisted.map((p) => p.title).sort()).toEqual(ASSISTED_PROPOSALS.map((d) => d.title).sort());
    for (const p of assisted) {
      const demo = ASSISTED_PROPOSALS.find((d) => d.title === p.title)!;
      const author = offline.find((u) => u._id.equals(p.authors[0]));
      expect(author?.name, p.title).toBe(OFFLINE_RESIDENTS[demo.resident]!.name);
      expect(p.competition.equals(c2026!._id)).toBe(true);
      expect(p.status).toBe('submitted');
      expect(p.assisted!.worker!.equals(author!.assistedBy)).toBe(true);
      expect(p.statusHistory.every((h) => h.by!.equals(p.assisted!.worker))).toBe(true);
      const consent = p.assisted!.consent!;
      // As recorded: the method, the witness of a spoken consent, the photo of a signed form.
      expect(consent.method, p.title).toBe(demo.consent.method);
      expect(consent.witness ?? null, p.title).toBe(demo.consent.witness ?? null);
      expect(Boolean(consent.formFileId), p.title).toBe(Boolean(demo.consent.formPhoto));
      expect(consent.at!.getTime()).toBeLessThanOrEqual(p.submittedAt!.getTime());
    }
    expect(new Set(assisted.map((p) => p.assisted!.consent!.method))).toEqual(new Set(['signedForm', 'verbalWitnessed']));
    // A signed form's photo is kept, privately.
    const form = assisted.find((p) => p.assisted!.consent!.formFileId);
    const image = await readImage(form!.assisted!.consent!.formFileId!, 'full');
    expect(image).toMatchObject({ visibility: 'private', uploaderId: String(form!.assisted!.worker) });
    image!.stream.destroy();
  });

  it('sends the demo resident\'s proposal back for changes until a few days from now, and tells them in the bell', async () => {
    await ensureSeeded();
    const resident = await User.findOne({ phone: '13900000005' }).lean();
    const sentBack = await Proposal.find({ status: 'changesRequested' }).populate<{ competition: { slug: string } }>('competition', 'slug').lean();
    expect(sentBack).toHaveLength(1);
    const [proposal] = sentBack;
    expect(proposal!.competition.slug).toBe('2026-laoshanxing');
    expect(proposal!.authors.map(String)).toEqual([String(resident!._id)]);
    expect(proposal!.screening?.reason).toMatch(/报价/);
    expect(proposal!.statusHistory.at(-1)).toMatchObject({ status: 'changesRequested', reason: proposal!.screening!.reason });
    const due = proposal!.screening!.changesDueAt!.getTime();
    expect(due).toBeGreaterThan(Date.now() + 3 * 86_400_000);
    expect(due).toBeLessThan(Date.now() + 7 * 86_400_000);

    const notifications = await Notification.find({ recipient: resident!._id, readAt: mongoose.trusted({ $exists: false }) }).lean();
    expect(notifications.length).toBeGreaterThanOrEqual(3);
    expect(notifications.map((n) => n.type)).toEqual(expect.arrayContaining(['screeningResult', 'newComment', 'commentReply']));
    expect(notifications.find((n) => n.type === 'screeningResult')).toMatchObject({ proposalNumber: proposal!.number, data: { status: 'changesRequested' } });
  });

  it('the home page features the running 2026 competition and lists 2025 and the 2024 pilot as history', async () => {
    await ensureSeeded();
    const outcome = await call<{ featured: { slug: string; phase: string } | null; past: { slug: string; phase: string }[] }>(
      homeLoader,
      getRequest('/'),
    );
    expect(outcome.data.featured?.slug).toBe('2026-laoshanxing');
    expect(outcome.data.past.map((c) => [c.slug, c.phase])).toEqual([
      ['2025-laoshanxing', 'closed'],
      ['2024-laoshanxing', 'closed'],
    ]);
  });

  it('publishes the 2025 result from three judges\' sheets and the 2025 ballots, reproducible from its inputs', async () => {
    if (!(await Competition.exists({ slug: '2025-laoshanxing' }))) await seedDemo();
    const c2025 = await Competition.findOne({ slug: '2025-laoshanxing' }).lean();
    const published = await getPublishedResults(String(c2025!._id));
    expect(published?.reproduces).toBe(true);
    expect(published?.method).toBe('greedy');
    expect(new Set(published?.inputs.sheets.map((s) => s.judge))).toEqual(new Set(['A', 'B', 'C']));
    expect(published?.outcome.spent).toBeLessThanOrEqual(c2025!.budgetFen);
    expect(published?.outcome.lines.some((l) => l.funded)).toBe(true);
    expect(published?.outcome.voters).toBeGreaterThan(250);
  });

  it("turns the 2025 result's funded proposals into projects, numbered in the result's order, each linked from its proposal", async () => {
    if (!(await Competition.exists({ slug: '2025-laoshanxing' }))) await seedDemo();
    const c2025 = (await Competition.findOne({ slug: '2025-laoshanxing' }).select('_id projectBudget').lean())!;
    const published = (await getPublishedResults(String(c2025._id)))!;
    const funded = published.outcome.lines.filter((l) => l.funded);
    const projects = await Project.find({ competition: c2025._id }).select('number proposal approvedBudgetFen').sort({ number: 1 }).lean();
    expect(projects.map((p) => String(p.proposal))).toEqual(funded.map((l) => l.id));
    expect(projects.map((p) => p.number)).toEqual(funded.map((_, i) => i + 1));
    expect(projects.map((p) => p.approvedBudgetFen)).toEqual(funded.map((l) => l.cost));
    const sum = funded.reduce((total, l) => total + l.cost, 0);
    expect(c2025.projectBudget).toEqual({ fundedFen: sum, approvedFen: sum });
    const linked = await Proposal.find({ competition: c2025._id, 'project.number': mongoose.trusted({ $exists: true }) }).select('_id').lean();
    expect(linked).toHaveLength(funded.length);
  });

  it('gives the 2025 projects the demo mentor and one invited resident each, the invitation naming no phone number', async () => {
    if (!(await Competition.exists({ slug: '2025-laoshanxing' }))) await seedDemo();
    const c2025 = (await Competition.findOne({ slug: '2025-laoshanxing' }).select('_id').lean())!;
    const mentor = (await User.findOne({ email: DEMO_MENTOR_EMAIL }).select('_id roles').lean())!;
    expect(mentor.roles.map((r) => r.role)).toContain('mentor');
    const projects = await Project.find({ competition: c2025._id }).select('mentor').lean();
    expect(projects.length).toBeGreaterThan(0);
    expect(projects.every((p) => String(p.mentor) === String(mentor._id))).toBe(true);
    const invitations = await TeamInvitation.find({ competition: c2025._id, status: 'pending' }).lean();
    expect(new Set(invitations.map((i) => String(i.project))).size).toBe(projects.length);
    expect(JSON.stringify(invitations)).not.toMatch(/139\d{8}/);
  });

  it('tells the 2025 projects\' story: completed and rated, an overdue report waiting with a held expense, one suspended', async () => {
    if (!(await Competition.exists({ slug: '2025-laoshanxing' }))) await seedDemo();
    const c2025 = (await Competition.findOne({ slug: '2025-laoshanxing' }).select('_id').lean())!;
    const projects = await Project.find({ competition: c2025._id }).select('number status progressPct').sort({ number: 1 }).lean();
    expect(projects.length).toBeGreaterThanOrEqual(4);
    expect(projects.slice(0, 4).map((p) => p.status)).toEqual(['completed', 'completed', 'inProgress', 'suspended']);
    expect(projects.slice(0, 3).map((p) => p.progressPct)).toEqual([100, 100, 33]);
    // Completed the one way there is: a final report the committee evaluated and closed, in 2025.
    const closings = await ProjectClosing.find({ competition: c2025._id }).select('project status evaluation decidedAt').lean();
    expect(closings.map((c) => c.status)).toEqual(['closed', 'closed']);
    expect(closings.every((c) => c.evaluation && c.decidedAt?.toISOString().startsWith('2025-12-2'))).toBe(true);
    const reports = await MilestoneReport.find({ competition: c2025._id }).select('project status expenses.held photos').lean();
    expect(reports.filter((r) => r.status === 'approved')).toHaveLength(5);
    const waiting = reports.filter((r) => r.status === 'submitted');
    expect(waiting).toHaveLength(1);
    expect(reports.flatMap((r) => r.expenses).filter((e) => e.held)).toHaveLength(1);
    expect(reports.every((r) => r.photos.length === 1)).toBe(true);
    expect(await ProjectRating.countDocuments({ competition: c2025._id })).toBeGreaterThan(0);
  });

  it('registers an organization for each 2025 project, named as its implementer (audited), and two that implement nothing yet', async () => {
    if (!(await Competition.exists({ slug: '2025-laoshanxing' }))) await seedDemo();
    const c2025 = (await Competition.findOne({ slug: '2025-laoshanxing' }).select('_id').lean())!;
    const projects = await Project.find({ competition: c2025._id }).select('organization proposedOrganizationName street').lean();
    expect(projects.length).toBeGreaterThan(0);
    const organizations = await Organization.find().select('name street members +contact.phone').lean();
    const byId = new Map(organizations.map((o) => [String(o._id), o]));
    for (const project of projects) {
      const organization = byId.get(String(project.organization));
      expect(organization?.name).toBe(project.proposedOrganizationName);
      expect(String(organization?.street)).toBe(String(project.street));
      expect(organization?.members.length).toBeGreaterThan(0);
    }
    expect(organizations.every((o) => /^199\d{8}$/.test(o.contact?.phone ?? ''))).toBe(true);
    // Plus one for each project of the 2024 pilot (seeds/history-2024.ts), and the four the
    // incubation demo adds (seeds/incubation.ts), one per stage the others lack.
    const pilot = await Project.countDocuments({ competition: (await Competition.findOne({ slug: '2024-laoshanxing' }).select('_id').lean())!._id });
    expect(pilot).toBeGreaterThan(0);
    expect(organizations.length).toBe(projects.length + pilot + 2 + 4);
    expect(await AuditLog.countDocuments({ action: 'project.organizationNamed' })).toBe(projects.length);
  });

  it('shows incubation: an organization at every stage, checklists part-done with evidence (one private image), sessions, and the demo mentor on two organizations', async () => {
    if (!(await Competition.exists({ slug: '2025-laoshanxing' }))) await seedDemo();
    const organizations = await Organization.find().select('name stage stageHistory +checklist').lean();
    expect(new Set(organizations.map((o) => o.stage))).toEqual(new Set(INCUBATION_STAGES));
    const mentor = (await User.findOne({ email: DEMO_MENTOR_EMAIL }).select('roles').lean())!;
    const mentored = mentor.roles.filter((g) => g.role === 'mentor' && g.scopeType === 'organization').map((g) => String(g.scopeId));
    expect(mentored).toHaveLength(2);
    const first = organizations.find((o) => String(o._id) === mentored[0])!;
    // Everything for "filed" but the certificate: the demo's next step.
    expect(first.checklist.map((c) => c.key)).toEqual(expect.arrayContaining(['charter', 'members5', 'leader', 'mentor', 'financialRules', 'bankAccount']));
    expect(first.checklist.map((c) => c.key)).not.toContain('filingCertificate');
    expect(organizations.flatMap((o) => o.checklist).filter((c) => c.evidenceFileId)).toHaveLength(1);
    expect(await MentorSession.countDocuments({ organization: first._id })).toBeGreaterThanOrEqual(3);
    expect(await ChecklistTemplate.countDocuments()).toBe(CHECKLIST_STAGES.length);
    const dormant = organizations.find((o) => o.stage === 'dormant')!;
    expect(dormant.stageHistory.at(-1)?.reason).toBeTruthy();
  });

  it('raises the needs whistle\'s demo through its services: certified helpers, needs in every status and street, escalated ones, dated stories', async () => {
    await ensureSeeded();
    const helpers = await Helper.find().select('kind status certifiedBy members').lean();
    expect(helpers.map((h) => h.kind).sort()).toEqual(DEMO_HELPERS.map((h) => h.kind).sort());
    expect(helpers.every((h) => h.status === 'certified' && h.certifiedBy)).toBe(true);
    expect(await AuditLog.countDocuments({ action: 'helper.certified' })).toBe(DEMO_HELPERS.length);

    const needs = await Need.find().select('number status street category publishedAt escalatedAt claimMs fulfilMs fulfilment reopenCount createdAt').sort({ number: 1 }).lean();
    expect(needs).toHaveLength(DEMO_NEEDS.length);
    expect(new Set(needs.map((n) => n.status))).toEqual(new Set(NEED_STATUSES));
    expect(new Set(needs.map((n) => String(n.street))).size).toBe(5);
    expect(new Set(needs.map((n) => n.category)).size).toBeGreaterThanOrEqual(DEFAULT_NEED_CATEGORIES.length - 2);
    expect(needs.some((n) => n.reopenCount > 0 && n.status === 'open')).toBe(true);
    // Pending ones in Zhonghan, for the verification e2e.
    const zhonghan = await Street.findOne({ code: 'zhonghan' }).select('_id').lean();
    expect(needs.filter((n) => n.status === 'pending' && n.street.equals(zhonghan!._id)).length).toBeGreaterThanOrEqual(1);
    // Open ones that waited a week were escalated once; recent ones were not.
    const escalated = needs.filter((n) => n.escalatedAt);
    expect(escalated.length).toBeGreaterThanOrEqual(2);
    expect(escalated.every((n) => n.status === 'open' && n.publishedAt!.getTime() < Date.now() - 7 * 86_400_000)).toBe(true);
    expect(needs.some((n) => n.status === 'open' && !n.escalatedAt)).toBe(true);
    expect(await Notification.countDocuments({ type: 'needEscalated' })).toBeGreaterThanOrEqual(escalated.length);
    // Dated through the year: the medians are hours and days, not the milliseconds of one run.
    const fulfilled = needs.filter((n) => n.status === 'fulfilled');
    expect(fulfilled.length).toBeGreaterThanOrEqual(10);
    expect(fulfilled.every((n) => n.claimMs! >= 3_600_000 && n.fulfilMs! > n.claimMs!)).toBe(true);
    expect(new Set(needs.map((n) => n.createdAt.toISOString().slice(0, 7))).size).toBeGreaterThanOrEqual(8);
    expect(needs.every((n) => n.createdAt.getTime() <= Date.now())).toBe(true);
    const photos = needs.flatMap((n) => n.fulfilment?.photos ?? []);
    expect(photos.some((p) => p.peopleConsent) && photos.some((p) => !p.peopleConsent)).toBe(true);
    expect(await AuditLog.countDocuments({ action: 'need.fulfilled' })).toBe(fulfilled.length);
  });

  it('has 2026 proposals citing verified needs of their own street that they answer, at most five each', async () => {
    await ensureSeeded();
    const links = await NeedLink.find().lean();
    expect(links.length).toBeGreaterThanOrEqual(5);
    const needs = new Map((await Need.find({ _id: mongoose.trusted({ $in: links.map((l) => l.need) }) }).select('status street').lean()).map((n) => [String(n._id), n]));
    const proposals = new Map((await Proposal.find({ _id: mongoose.trusted({ $in: links.map((l) => l.proposal) }) }).select('status street competition').lean()).map((p) => [String(p._id), p]));
    const c2026 = await Competition.findOne({ slug: '2026-laoshanxing' }).select('_id').lean();
    for (const link of links) {
      const need = needs.get(String(link.need))!;
      const proposal = proposals.get(String(link.proposal))!;
      expect(['open', 'claimed', 'done', 'fulfilled']).toContain(need.status);
      expect(String(proposal.street)).toBe(String(need.street));
      expect(String(proposal.competition)).toBe(String(c2026!._id));
      expect(link.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
    }
    const perProposal = new Map<string, number>();
    for (const link of links) perProposal.set(String(link.proposal), (perProposal.get(String(link.proposal)) ?? 0) + 1);
    expect(Math.max(...perProposal.values())).toBeLessThanOrEqual(5);
    expect(new Set(links.map((l) => String(l.need))).size).toBeGreaterThanOrEqual(4);
  });

  it('never names the person in a need\'s public text: no private name, given name, phone or address, and nothing that looks identifying', async () => {
    await ensureSeeded();
    const needs = await Need.find().select('number description grid fulfilment.note').sort({ number: 1 }).lean();
    const details = new Map((await NeedDetail.find().select('need name address phone situation').lean()).map((d) => [String(d.need), d]));
    expect(details.size).toBe(needs.length);
    for (const need of needs) {
      const detail = details.get(String(need._id))!;
      expect(detail.name, `need ${need.number}`).toBeTruthy();
      const text = [need.description, need.fulfilment?.note ?? ''].join('\n');
      expect(identifyingDetails(text, detail), `need ${need.number}: ${need.description}`).toEqual([]);
      for (const value of [detail.name, detail.address, detail.phone, detail.situation].filter(Boolean)) expect(text, `need ${need.number}`).not.toContain(value);
    }
  });

  it('holds about a hundred micro-wishes in every community, registered by the street\'s workers, half waiting and the rest claimed, delivered or confirmed through the services', async () => {
    await ensureSeeded();
    const wishes = await Wish.find().select('number status community street registeredBy claim valueFen child photo').lean();
    expect(wishes.length).toBe(100);
    expect(wishes.map((w) => w.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(new Set(wishes.map((w) => String(w.community))).size).toBe(await Community.countDocuments());
    const byStatus = Object.fromEntries(['open', 'claimed', 'delivered', 'confirmed'].map((status) => [status, wishes.filter((w) => w.status === status).length]));
    expect(byStatus).toEqual({ open: 50, claimed: 20, delivered: 10, confirmed: 20 });
    for (const w of wishes) {
      expect(w.valueFen).toBeGreaterThanOrEqual(100);
      expect(w.valueFen).toBeLessThanOrEqual(50_000);
      expect([...w.child.initial]).toHaveLength(1);
    }
    // Registered by the grid or community worker of the wish's own street.
    const workers = await User.find({ _id: mongoose.trusted({ $in: [...new Set(wishes.map((w) => String(w.registeredBy)))] }) }).select('email roles').lean();
    for (const w of wishes) {
      const worker = workers.find((u) => String(u._id) === String(w.registeredBy))!;
      expect(worker.email).toMatch(/^(grid|community)\.[a-z]+@demo\.laoshanxing\.cn$/);
      expect(worker.roles.some((g) => (g.role === 'gridWorker' || g.role === 'communityWorker') && String(g.scopeId) === String(w.street))).toBe(true);
    }
    // Nobody holds more than the allowed open claims; the demo resident holds one, so can claim more.
    const open = new Map<string, number>();
    for (const w of wishes.filter((x) => x.status === 'claimed')) open.set(String(w.claim!.by), (open.get(String(w.claim!.by)) ?? 0) + 1);
    expect(Math.max(...open.values())).toBeLessThanOrEqual(3);
    const demoResident = (await User.findOne({ phone: '13900000005' }).select('_id').lean())!;
    expect(open.get(String(demoResident._id))).toBe(1);
    expect(new Set(wishes.flatMap((w) => (w.claim ? [w.claim.displayAs] : [])))).toEqual(new Set(['account', 'unit', 'anonymous']));
    expect(wishes.filter((w) => w.photo)).toHaveLength(4);
    for (const action of ['wish.registered', 'wish.claimed', 'wish.delivered', 'wish.confirmed']) expect(await AuditLog.countDocuments({ action }), action).toBeGreaterThan(0);
    expect(await AuditLog.countDocuments({ action: 'wish.registered' })).toBe(100);
    expect(await Notification.countDocuments({ type: 'wishConfirmed' })).toBe(20);
  });

  it("records charity resources through the services: the fund's allocations, enterprises' pledges of money and goods (some delivered with a private receipt, some overdue), a withdrawn one, pledges to public needs", async () => {
    const now = new Date();
    expect(await Pledge.countDocuments({ partnerKind: 'fund' })).toBeGreaterThanOrEqual(3);
    expect(await Pledge.countDocuments({ partnerKind: 'fund', status: 'delivered' })).toBeGreaterThanOrEqual(2);
    expect(await Pledge.countDocuments({ partnerKind: 'enterprise', kind: 'inKind', status: 'delivered' })).toBeGreaterThanOrEqual(2);
    expect(await Pledge.countDocuments({ status: 'pledged', dueAt: mongoose.trusted({ $lt: now }) })).toBeGreaterThanOrEqual(2);
    expect(await Pledge.countDocuments({ status: 'withdrawn' })).toBe(1);
    expect(await Pledge.countDocuments({ needNumber: mongoose.trusted({ $exists: true }) })).toBe(2);
    const receipts = await Pledge.find({ 'delivery.receiptFileId': mongoose.trusted({ $exists: true }) }).select('delivery').lean();
    expect(receipts.length).toBeGreaterThanOrEqual(3);
    const image = await readImage(receipts[0]!.delivery!.receiptFileId!, 'thumb');
    expect(image?.visibility).toBe('private');
    image?.stream.destroy();
    expect(await AuditLog.countDocuments({ action: 'pledge.allocated' })).toBeGreaterThanOrEqual(3);
  });

  it('has volunteers with logged hours on the 2025 projects, and upcoming activities two of which are full with a waitlist', async () => {
    expect(await VolunteerProfile.countDocuments()).toBeGreaterThanOrEqual(10);
    expect(await ServiceLog.countDocuments()).toBeGreaterThanOrEqual(16);
    const upcoming = await VolunteerActivity.find({ startsAt: mongoose.trusted({ $gt: new Date('2027-01-01T00:00:00+08:00') }) }).lean();
    expect(upcoming).toHaveLength(3);
    const full = [];
    for (const activity of upcoming) {
      const confirmed = await VolunteerSignup.countDocuments({ activity: activity._id, status: 'confirmed' });
      expect(confirmed).toBeLessThanOrEqual(activity.slots);
      if (confirmed === activity.slots && (await VolunteerSignup.countDocuments({ activity: activity._id, status: 'waitlisted' })) > 0) full.push(activity.number);
    }
    expect(full).toHaveLength(2);
  });
});

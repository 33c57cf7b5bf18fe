import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { Community, Competition, Follow, Proposal, Street, User } from '#models';
import { DEMO_RESIDENTS, seedDemo, seedIfEmpty } from '#seeds/seed';
import { loader as homeLoader } from '~/routes/_index/route';
import { call, getRequest } from '../support/http';

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
    expect(byRole).toMatchObject({ admin: 1, committee: 2, judge: 3, gridWorker: 5 });
    expect(byRole.resident).toBeGreaterThanOrEqual(DEMO_RESIDENTS);
    expect(await User.countDocuments({ phone: mongoose.trusted({ $regex: '^139' }) })).toBe(DEMO_RESIDENTS);

    const c2026 = await Competition.findOne({ slug: '2026-laoshanxing' }).lean();
    expect(c2026?.budgetFen).toBe(200_000_000);
    expect(c2026?.categories).toHaveLength(8);
    expect(await Competition.exists({ slug: '2025-laoshanxing' })).not.toBeNull();

    const proposals = await Proposal.find().select('category status competition beneficiaries totalFen followerCount').lean();
    expect(proposals.length).toBeGreaterThanOrEqual(40);
    expect(new Set(proposals.map((p) => p.category)).size).toBe(8);
    expect(new Set(proposals.map((p) => p.status))).toEqual(new Set(['draft', 'submitted', 'withdrawn', 'eligible', 'ineligible']));
    expect(proposals.every((p) => p.totalFen >= 5_000_00 && p.totalFen <= 100_000_00)).toBe(true);
    const follows = await Follow.countDocuments();
    expect(proposals.reduce((sum, p) => sum + p.followerCount, 0)).toBe(follows);
  });

  it('the home page features the running 2026 competition and lists 2025 as history', async () => {
    if (!(await Competition.exists({ slug: '2026-laoshanxing' }))) await seedDemo();
    const outcome = await call<{ featured: { slug: string; phase: string } | null; past: { slug: string; phase: string }[] }>(
      homeLoader,
      getRequest('/'),
    );
    expect(outcome.data.featured?.slug).toBe('2026-laoshanxing');
    expect(outcome.data.past.map((c) => [c.slug, c.phase])).toEqual([['2025-laoshanxing', 'closed']]);
  });
});

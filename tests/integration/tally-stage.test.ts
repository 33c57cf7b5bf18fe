import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCompetition, createUser, grant, phaseWindows } from '#seeds/factories';
import { action as loginAction } from '~/routes/login/route';
import { loader as tallyLoader } from '~/routes/competitions.$slug.voting._index/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

const DAY = 86_400_000;

/** The committee's voting page says where voting stands (issue 12, item 6). */
describe("the committee's voting page", () => {
  it.each([
    ['before voting opens', 'notYet', -3],
    ['while voting runs', 'live', -64],
    ['after voting ended', 'final', -90],
  ])('%s: %s', async (_name, stage, startDays) => {
    const slug = `tally-stage-${stage}`;
    const competition = await createCompetition({ slug, phases: phaseWindows(new Date(Date.now() + startDays * DAY)) });
    const member = await createUser({ roles: [grant('resident'), grant('committee', 'competition', competition._id)] });
    const jar = new CookieJar().take((await call(loginAction, formRequest('/login', { identifier: member.email!, password: DEMO_PASSWORD }))).headers);
    const page = await call<{ stage: string; opensAt: string | null }>(tallyLoader, getRequest(`/competitions/${slug}/voting`, { jar }), { slug });
    expect(page.status).toBe(200);
    expect(page.data.stage).toBe(stage);
    expect(page.data.opensAt).toBe(competition.phases.find((p) => p.key === 'voting')!.startsAt.toISOString());
  });
});

import { describe, expect, it, vi } from 'vitest';
import { Ballot } from '#models';
import { createCommunity, createCompetition, createStreet, createUser, grant, insertProposal, phaseWindows, verifyResidentDirectly } from '#seeds/factories';
import { getVotingContext } from '~/features/voting/voting.server';
import { enterPaperBallot } from '~/features/voting/paper-ballots.server';
import { sessionUser } from '../support/sessions';

/**
 * The unique index, not luck, keeps assisted serials unique: here the serial generator's first
 * draws repeat (and the first one is a paper ballot's), so parallel entries collide and must draw
 * again (issue 11, finding 3).
 */
const drawn: string[] = [];
vi.mock('#models', async (importOriginal) => {
  const original = await importOriginal<typeof import('#models')>();
  let next = 0;
  return {
    ...original,
    newAssistedSerial: () => {
      // The first 20 draws come in pairs (10 serials, A-AAAAAA first); after that each is new.
      const i = next++;
      const serial = i < 20 ? `A-${'ABCDEFGHJK'[Math.floor(i / 2)]!.repeat(6)}` : `A-Z${String(i).padStart(5, '2')}`;
      drawn.push(serial);
      return serial;
    },
  };
});

describe('assisted serials', () => {
  it('20 parallel entries drawing colliding serials all get one, none repeated, none equal to a paper serial', async () => {
    const street = (await createStreet())._id;
    const community = (await createCommunity({ street }))._id;
    const competition = await createCompetition({ phases: phaseWindows(new Date(Date.now() - 64 * 86_400_000)) });
    const proposal = await insertProposal({ competition: competition._id, author: (await createUser())._id, status: 'eligible', street });
    const ctx = (await getVotingContext(competition.slug))!;
    const worker = sessionUser(await createUser({ roles: [grant('resident'), grant('gridWorker', 'street', street)] }));
    const residents: string[] = [];
    for (let i = 0; i < 21; i++) {
      const user = await createUser({ community });
      await verifyResidentDirectly(user._id, community);
      residents.push(String(user._id));
    }
    const consent = { method: 'verbalWitnessed' as const, at: new Date(), witness: '王阿姨' };
    // A paper ballot typed with the serial the generator draws first.
    expect((await enterPaperBallot({ ctx, worker, residentId: residents[0]!, channel: 'paper', serial: 'A-AAAAAA', choices: [proposal.number] })).ok).toBe(true);
    const results = await Promise.all(
      residents.slice(1).map((residentId) => enterPaperBallot({ ctx, worker, residentId, channel: 'assisted', consent, choices: [proposal.number] })),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const serials = (await Ballot.find({ competition: ctx.id }).select('paperSerial').lean()).map((b) => b.paperSerial);
    expect(serials).toHaveLength(21);
    expect(new Set(serials).size).toBe(21);
    // Collisions really happened: at least one draw per repeated serial was refused.
    expect(drawn.length).toBeGreaterThanOrEqual(30);
  });
});

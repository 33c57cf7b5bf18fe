import { describe, expect, it } from 'vitest';
import { hasPermission, type Grant } from '~/core/permissions.server';

const street = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const otherStreet = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const community = 'cccccccccccccccccccccccc';
const otherCommunity = 'dddddddddddddddddddddddd';
const competition = 'eeeeeeeeeeeeeeeeeeeeeeee';
const otherCompetition = 'ffffffffffffffffffffffff';

const resident: Grant = { role: 'resident', scopeType: 'platform', scopeId: null };
const streetWorker: Grant = { role: 'gridWorker', scopeType: 'street', scopeId: street };
const communityWorker: Grant = { role: 'gridWorker', scopeType: 'community', scopeId: community };
const judge: Grant = { role: 'judge', scopeType: 'competition', scopeId: competition };
const committee: Grant = { role: 'committee', scopeType: 'competition', scopeId: competition };
const admin: Grant = { role: 'admin', scopeType: 'platform', scopeId: null };

describe('permissions follow the scope of each grant', () => {
  it('a street grid worker may assist residents of any community in that street, not another street', () => {
    expect(hasPermission([streetWorker], 'resident:assist', { streetId: street, communityId: otherCommunity })).toBe(true);
    expect(hasPermission([streetWorker], 'resident:assist', { streetId: otherStreet, communityId: community })).toBe(false);
  });

  it('a community grid worker may assist only in that community', () => {
    expect(hasPermission([communityWorker], 'resident:assist', { streetId: street, communityId: community })).toBe(true);
    expect(hasPermission([communityWorker], 'resident:assist', { streetId: street, communityId: otherCommunity })).toBe(false);
  });

  it('judges and committee members act only in their own competition', () => {
    expect(hasPermission([judge], 'competition:judge', { competitionId: competition })).toBe(true);
    expect(hasPermission([judge], 'competition:judge', { competitionId: otherCompetition })).toBe(false);
    expect(hasPermission([judge], 'competition:manage', { competitionId: competition })).toBe(false);
    expect(hasPermission([committee], 'competition:manage', { competitionId: competition })).toBe(true);
    expect(hasPermission([committee], 'competition:manage', { competitionId: otherCompetition })).toBe(false);
  });

  it('the needs whistle follows the area: raisers and verifiers in their street or community, the street committee in its street', () => {
    const whistle: Grant = { role: 'whistleBlower', scopeType: 'community', scopeId: community };
    const verifier: Grant = { role: 'communityWorker', scopeType: 'street', scopeId: street };
    const streetCommittee: Grant = { role: 'streetCommittee', scopeType: 'street', scopeId: street };
    const here = { streetId: street, communityId: community };
    const elsewhere = { streetId: otherStreet, communityId: otherCommunity };
    expect(hasPermission([whistle], 'need:raise', here)).toBe(true);
    expect(hasPermission([whistle], 'need:raise', { streetId: street, communityId: otherCommunity })).toBe(false);
    expect(hasPermission([streetWorker], 'need:raise', here)).toBe(true);
    expect(hasPermission([whistle], 'need:verify', here)).toBe(false);
    expect(hasPermission([verifier], 'need:verify', here)).toBe(true);
    expect(hasPermission([verifier], 'need:verify', elsewhere)).toBe(false);
    expect(hasPermission([verifier], 'need:oversee', here)).toBe(false);
    expect(hasPermission([streetCommittee], 'need:oversee', here)).toBe(true);
    expect(hasPermission([streetCommittee], 'need:oversee', elsewhere)).toBe(false);
    expect(hasPermission([committee], 'need:oversee', here)).toBe(false);
    expect(hasPermission([streetCommittee], 'helper:certify')).toBe(true);
    expect(hasPermission([resident], 'helper:certify')).toBe(false);
    expect(hasPermission([verifier], 'wish:register', here)).toBe(true);
    expect(hasPermission([communityWorker], 'wish:register', elsewhere)).toBe(false);
    expect(hasPermission([resident], 'wish:register', here)).toBe(false);
  });

  it('a missing target never matches a scoped grant', () => {
    expect(hasPermission([committee], 'competition:manage', {})).toBe(false);
    expect(hasPermission([streetWorker], 'resident:assist', {})).toBe(false);
  });

  it('residents may propose but not administer', () => {
    expect(hasPermission([resident], 'proposal:create')).toBe(true);
    expect(hasPermission([resident], 'roles:manage')).toBe(false);
    expect(hasPermission([resident, judge, streetWorker], 'admin:access')).toBe(false);
  });

  it('a platform admin may do everything', () => {
    expect(hasPermission([admin], 'roles:manage')).toBe(true);
    expect(hasPermission([admin], 'competition:manage', { competitionId: otherCompetition })).toBe(true);
  });

  it('nobody without grants may do anything', () => {
    expect(hasPermission([], 'proposal:create')).toBe(false);
  });
});

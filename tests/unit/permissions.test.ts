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

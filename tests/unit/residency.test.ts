import { describe, expect, it } from 'vitest';
import { addMonthsToDay, areaPeriodProblem, countingVerification, defaultAreaUntil, documentSeen, latestAreaUntil, looksLikeDocumentNumber, type VerificationLike } from '~/features/voting/residency';
import { parseScopeRef } from '~/features/voting/residency.schema';

const at = (iso: string) => new Date(iso);

describe('the period of an area verification (Shanghai days)', () => {
  it('defaults to the end of the current year in Shanghai, which on 31 December 17:00 UTC is already the next one', () => {
    expect(defaultAreaUntil(at('2026-12-02T00:35:00Z'))).toBe('2026-12-31');
    expect(defaultAreaUntil(at('2026-12-31T17:00:00Z'))).toBe('2027-12-31');
  });

  it('lasts at most 12 months, and month ends stay month ends', () => {
    expect(latestAreaUntil(at('2026-12-02T00:00:00Z'))).toBe('2027-12-02');
    expect(addMonthsToDay('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonthsToDay('2028-02-29', 12)).toBe('2029-02-28');
    const now = at('2026-12-02T03:00:00Z');
    expect(areaPeriodProblem(now, '2026-12-02')).toBeNull();
    expect(areaPeriodProblem(now, '2027-12-02')).toBeNull();
    expect(areaPeriodProblem(now, '2027-12-03')).toBe('periodTooLong');
    expect(areaPeriodProblem(now, '2026-12-01')).toBe('untilInPast');
  });
});

describe('document numbers in free text', () => {
  it.each(['370212195001011234', '身份证37021219500101123X', '370212 19500101 123x', '3702-1219-5001-0112', '370212500101123', '３７０２１２１９５００１０１１２３４', '370212.195001.011234', '370212/19500101/123Ｘ', '370212，19500101，1234'])('refuses %s', (text) => {
    expect(looksLikeDocumentNumber(text)).toBe(true);
  });

  it.each(['住3号楼2单元', '邻居王阿姨作证，电话未留', '2026年12月2日上门', '13800138000', '2026.12.02 上门，3 号楼'])('accepts %s', (text) => {
    expect(looksLikeDocumentNumber(text)).toBe(false);
  });
});

describe('the evidence recorded', () => {
  it('a document method names its own document; "known in person" names another kind or none', () => {
    expect(documentSeen('idCard', 'utilityBill')).toBe('idCard');
    expect(documentSeen('householdRegister', undefined)).toBe('householdRegister');
    expect(documentSeen('knownInPerson', 'tenancyContract')).toBe('tenancyContract');
    expect(documentSeen('knownInPerson', 'idCard')).toBe('none');
  });

  it('scope references are a competition slug or a street or community id, nothing else', () => {
    expect(parseScopeRef('competition:2026-laoshanxing')).toEqual({ kind: 'competition', slug: '2026-laoshanxing' });
    expect(parseScopeRef('street:0123456789abcdef01234567')).toEqual({ kind: 'street', id: '0123456789abcdef01234567' });
    for (const bad of ['competition:', 'street:xyz', 'project:0123456789abcdef01234567', 'competition:A', '{"$gt":""}']) expect(parseScopeRef(bad)).toBeNull();
  });
});

describe('which verification lets a resident vote', () => {
  const competition = { id: 'c1', eligibleStreets: ['s1'] };
  const base = { street: 's1', community: 'm1', verifiedAt: at('2026-11-01T00:00:00Z') };
  const area = (over: Partial<VerificationLike> = {}): VerificationLike => ({ ...base, scope: 'area', validFrom: at('2026-11-01T00:00:00Z'), validUntil: at('2027-01-01T00:00:00Z'), ...over });
  const forCompetition = (id: string, over: Partial<VerificationLike> = {}): VerificationLike => ({ ...base, scope: 'competition', competition: id, ...over });
  const now = at('2026-12-15T00:00:00Z');

  it('one for this competition counts, one for another does not', () => {
    expect(countingVerification([forCompetition('c1')], competition, now)).toMatchObject({ ok: true });
    expect(countingVerification([forCompetition('c2')], competition, now)).toEqual({ ok: false, reason: 'notVerified' });
  });

  it('an area verification counts inside its period only, and only in an eligible street', () => {
    expect(countingVerification([area()], competition, now)).toMatchObject({ ok: true });
    expect(countingVerification([area()], competition, at('2027-01-01T00:00:00Z'))).toEqual({ ok: false, reason: 'notVerified' });
    expect(countingVerification([area({ street: 's2' })], competition, now)).toEqual({ ok: false, reason: 'streetNotEligible' });
    expect(countingVerification([area({ street: 's2' })], { id: 'c1', eligibleStreets: [] }, now)).toMatchObject({ ok: true });
  });

  it('a revoked one stops counting from its revocation; one given later did not count before', () => {
    const revoked = area({ revokedAt: at('2026-12-10T00:00:00Z') });
    expect(countingVerification([revoked], competition, now)).toEqual({ ok: false, reason: 'notVerified' });
    expect(countingVerification([revoked], competition, at('2026-12-09T00:00:00Z'))).toMatchObject({ ok: true });
    expect(countingVerification([forCompetition('c1', { verifiedAt: at('2026-12-20T00:00:00Z') })], competition, now)).toEqual({ ok: false, reason: 'notVerified' });
  });

  it("prefers the competition's own verification, then the latest", () => {
    const own = forCompetition('c1', { community: 'm-own' });
    const chosen = countingVerification([area({ community: 'm-area', verifiedAt: at('2026-12-01T00:00:00Z') }), own], competition, now);
    expect(chosen.ok && chosen.verification.community).toBe('m-own');
  });
});

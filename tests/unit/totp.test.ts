import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchingStep, stepAt } from '~/core/totp.server';

// RFC 6238, Appendix B (SHA-1, secret "12345678901234567890"); the RFC prints 8 digits, the
// 6-digit code is their last six (the truncation is modulo 10^digits).
const secret = Buffer.from('12345678901234567890');

describe('time-based one-time passwords', () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('matches the RFC 6238 test vector at %i s', (time, code) => {
    expect(hotp(secret, stepAt(time * 1000))).toBe(code);
  });

  it('base32 round-trips (RFC 4648 alphabet, no padding)', () => {
    expect(base32Encode(secret)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ').equals(secret)).toBe(true);
  });

  it('accepts the previous and next step for clock drift, not further', () => {
    const key = base32Encode(secret);
    const now = 1111111111 * 1000;
    const step = stepAt(now);
    expect(matchingStep(key, hotp(secret, step - 1), now)).toBe(step - 1);
    expect(matchingStep(key, hotp(secret, step + 1), now)).toBe(step + 1);
    expect(matchingStep(key, hotp(secret, step - 2), now)).toBeNull();
    expect(matchingStep(key, 'abcdef', now)).toBeNull();
  });
});

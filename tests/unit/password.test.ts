import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '~/core/password.server';

// A low cost keeps the unit test fast; the format and the check are what is under test.
const cheap = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('山海之间-2026', cheap);
    expect(await verifyPassword('山海之间-2026', hash)).toBe(true);
    expect(await verifyPassword('山海之间-2025', hash)).toBe(false);
  });

  it('salts each hash and stores its parameters with it', async () => {
    const [a, b] = await Promise.all([hashPassword('same password', cheap), hashPassword('same password', cheap)]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  });

  it('uses at least 32 MiB of memory by default (scrypt N=2^15, r=8)', async () => {
    const hash = await hashPassword('default cost');
    const [, N, r] = hash.split('$').map(Number);
    expect(128 * N! * r!).toBeGreaterThanOrEqual(32 * 1024 * 1024);
  });

  it('never matches a missing or malformed hash', async () => {
    expect(await verifyPassword('x', null)).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
  });
});

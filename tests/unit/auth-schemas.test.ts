import { describe, expect, it } from 'vitest';
import { normalizeIdentifier, registerSchema, registerStartSchema } from '~/features/accounts/auth.schema';
import { safeRedirect } from '~/utils/misc';

describe('sign-in identifiers', () => {
  it('accepts mainland mobile numbers written the usual ways', () => {
    for (const raw of ['13812345678', '138 1234 5678', '138-1234-5678', '+8613812345678', '8613812345678']) {
      expect(normalizeIdentifier(raw)).toEqual({ kind: 'phone', value: '13812345678' });
    }
  });
  it('lower-cases e-mail addresses', () => {
    expect(normalizeIdentifier(' Li.Wei@Example.COM ')).toEqual({ kind: 'email', value: 'li.wei@example.com' });
  });
  it('refuses anything else', () => {
    for (const raw of ['12812345678', '1381234567', 'hello', 'a@b', '']) expect(normalizeIdentifier(raw)).toBeNull();
  });
});

describe('registration form', () => {
  const valid = { code: '123 456', name: '王秀英', password: 'harbour-lights-9', confirmPassword: 'harbour-lights-9' };
  it('asks first for a number or address only', () => {
    expect(registerStartSchema.safeParse({ identifier: '138 1234 5678' }).success).toBe(true);
    expect(registerStartSchema.safeParse({ identifier: '1381234' }).error?.issues.map((i) => i.message)).toEqual(['identifierInvalid']);
  });
  it('accepts a complete second step, the code typed with a space', () => {
    const parsed = registerSchema.safeParse(valid);
    expect(parsed.success).toBe(true);
    expect(parsed.data?.code).toBe('123456');
  });
  it('refuses a code that is not six digits', () => {
    for (const code of ['12345', '1234567', 'abcdef']) expect(registerSchema.safeParse({ ...valid, code }).error?.issues.map((i) => i.message), code).toEqual(['codeFormat']);
  });
  it('names the field and reason for each problem, as i18n keys', () => {
    const result = registerSchema.safeParse({ ...valid, password: 'short', confirmPassword: 'other' });
    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues).toContainEqual(['password', 'passwordTooShort']);
  });
  it('refuses passwords made of too few different characters', () => {
    const result = registerSchema.safeParse({ ...valid, password: 'aaaaaaaaaa', confirmPassword: 'aaaaaaaaaa' });
    expect(result.error?.issues.map((i) => i.message)).toContain('passwordTooSimple');
  });
  it('refuses passwords from the shipped list of common ones, in any letter case', () => {
    for (const common of ['woaini1314', 'Password123', 'qwerty123', '1q2w3e4r']) {
      const result = registerSchema.safeParse({ ...valid, password: common, confirmPassword: common });
      expect(result.error?.issues.map((i) => i.message), common).toContain('passwordTooCommon');
    }
  });

  it('refuses two different passwords', () => {
    const result = registerSchema.safeParse({ ...valid, confirmPassword: 'harbour-lights-8' });
    expect(result.error?.issues).toContainEqual(expect.objectContaining({ path: ['confirmPassword'], message: 'passwordsDiffer' }));
  });
});

describe('redirects after login go only to this site', () => {
  it('keeps same-site paths', () => {
    expect(safeRedirect('/profile?tab=1')).toBe('/profile?tab=1');
  });
  it('refuses other sites and tricks', () => {
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '/ok\r\nSet-Cookie: x=1']) {
      expect(safeRedirect(bad, '/')).toBe('/');
    }
  });
});

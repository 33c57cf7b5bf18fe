import { describe, expect, it } from 'vitest';
import { normalizeIdentifier, registerSchema } from '~/features/accounts/auth.schema';
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
  const valid = { name: '王秀英', identifier: '13812345678', password: 'harbour-lights-9', confirmPassword: 'harbour-lights-9' };
  it('accepts a complete form', () => {
    expect(registerSchema.safeParse(valid).success).toBe(true);
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

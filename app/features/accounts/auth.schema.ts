import { z } from 'zod';
import { isCommonPassword } from './common-passwords';
import { PASSWORD_MAX, PASSWORD_MIN } from './password-limits';

export { PASSWORD_MAX, PASSWORD_MIN };

/**
 * Error messages are i18n keys (namespace "validation"): the form translates them, so the same
 * schema serves client and server in both languages.
 */
const PHONE = /^1[3-9]\d{9}$/;

/** A mainland mobile number (spaces, dashes and a +86 prefix allowed) or an e-mail address. */
export function normalizeIdentifier(raw: string): { kind: 'phone' | 'email'; value: string } | null {
  const trimmed = raw.trim();
  if (trimmed.includes('@')) {
    const email = trimmed.toLowerCase();
    return z.email().safeParse(email).success ? { kind: 'email', value: email } : null;
  }
  const digits = trimmed.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  return PHONE.test(digits) ? { kind: 'phone', value: digits } : null;
}

const identifier = z
  .string({ error: 'required' })
  .trim()
  .min(1, 'required')
  .max(254, 'identifierInvalid')
  .refine((value) => normalizeIdentifier(value) !== null, 'identifierInvalid');

export const newPassword = z
  .string({ error: 'required' })
  .min(PASSWORD_MIN, 'passwordTooShort')
  .max(PASSWORD_MAX, 'passwordTooLong')
  .refine((value) => new Set(value).size >= 4, 'passwordTooSimple')
  .refine((value) => !isCommonPassword(value), 'passwordTooCommon');

export const loginSchema = z.object({
  identifier,
  password: z.string({ error: 'required' }).min(1, 'required').max(PASSWORD_MAX, 'passwordTooLong'),
  redirectTo: z.string().optional(),
});

/** A six-digit one-time code as typed (spaces allowed). */
export const oneTimeCode = z
  .string({ error: 'required' })
  .transform((value) => value.replace(/\s/g, ''))
  .pipe(z.string().min(1, 'required').regex(/^\d{6}$/, 'codeFormat'));

/** Registering, step one: the number or address a code is sent to. */
export const registerStartSchema = z.object({
  identifier,
  redirectTo: z.string().optional(),
});

/** Registering, step two: the code that came, the name and a password. */
export const registerSchema = z
  .object({
    code: oneTimeCode,
    name: z.string({ error: 'required' }).trim().min(1, 'required').max(50, 'nameTooLong'),
    password: newPassword,
    confirmPassword: z.string({ error: 'required' }),
    redirectTo: z.string().optional(),
  })
  .refine((value) => value.password === value.confirmPassword, {
    message: 'passwordsDiffer',
    path: ['confirmPassword'],
  });

/** Proving a new or current number / address on the profile: step one. */
export const identifierChangeSchema = z.object({
  identifier,
  currentPassword: z.string({ error: 'required' }).min(1, 'required').max(PASSWORD_MAX, 'passwordTooLong'),
});

/** Step two, and the lockout's unlock: the code. */
export const codeSchema = z.object({ code: oneTimeCode });

/** Asking for an unlock or password-reset code on the sign-in pages. */
export const unlockStartSchema = z.object({ identifier });

/** A forgotten password: the code and the new password. */
export const resetPasswordSchema = z
  .object({ code: oneTimeCode, password: newPassword, confirmPassword: z.string({ error: 'required' }) })
  .refine((value) => value.password === value.confirmPassword, { message: 'passwordsDiffer', path: ['confirmPassword'] });

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: 'required' }).min(1, 'required'),
    password: newPassword,
    confirmPassword: z.string({ error: 'required' }),
  })
  .refine((value) => value.password === value.confirmPassword, {
    message: 'passwordsDiffer',
    path: ['confirmPassword'],
  });

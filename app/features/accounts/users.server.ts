import mongoose, { Types } from 'mongoose';
import { ADMIN_ROSTER_ID, AdminRoster, Community, Competition, searchTextOf, Street, User } from '#models';
import { normalizeIdentifier } from './auth.schema';
import type { Language } from '~/core/locales';
import { escapeRegex } from '~/utils/regex';
import { ROLE_SCOPES, type Role, type ScopeType } from '~/core/roles';
import { audit } from '~/core/audit.server';
import { hashPassword, verifyPassword } from '~/core/password.server';
import { isDuplicateKeyError } from '~/core/db.server';
import { consumeAttempt, resetAttempts, type Limit } from '~/core/rate-limit.server';
import { revokeUserSessions } from '~/core/session.server';
import { holderOf, PROVEN_AT, sendIdentityCode, sendIdentityNotice, spendIdentityCode, type Identifier } from './identity-codes.server';

export type StartRegistrationResult =
  | { ok: true; sentTo: string }
  | { ok: false; reason: 'identifierInvalid' | 'registerTooMany' | 'tooManyCodes' };

/**
 * Registrations one address may attempt per hour. Counted before the identifier is looked at,
 * so registration cannot be used to ask about many accounts from one place (issue 11, finding 11).
 */
export const REGISTER_IP_LIMIT: Limit = { max: 10, windowMs: 60 * 60 * 1000 };

/**
 * Step one of registering: a code goes to the number or address. If it already belongs to an
 * account that proved it, that person gets a notice instead ("you already have an account") and
 * no code; the answer on screen is the same either way, so it tells nobody whether the number is
 * registered (issue 11, findings 2 and 11).
 */
export async function startRegistration(input: { identifier: string; language: Language; ip: string }): Promise<StartRegistrationResult> {
  if (!(await consumeAttempt(`register:ip:${input.ip}`, REGISTER_IP_LIMIT)).allowed) return { ok: false, reason: 'registerTooMany' };
  const identifier = normalizeIdentifier(input.identifier);
  if (!identifier) return { ok: false, reason: 'identifierInvalid' };
  const holder = await holderOf(identifier);
  if (holder?.proven) {
    return sendIdentityNotice({ identifier, notice: 'alreadyRegistered', language: holder.language ?? input.language, ip: input.ip });
  }
  return sendIdentityCode({ purpose: 'register', identifier, language: input.language, ip: input.ip });
}

/**
 * Takes a number or address away from an account that never proved it, once someone proved it is
 * theirs (so nobody can squat a number and lock its owner out). Conditional on it still being
 * unproven; the account keeps everything else, and the release is audited.
 */
export async function releaseUnproven(identifier: Identifier, provenBy: string | null, ip?: string): Promise<void> {
  const field = PROVEN_AT[identifier.kind];
  const holder = await User.findOne({ [identifier.kind]: identifier.value, [field]: mongoose.trusted({ $exists: false }) })
    .select('name phone email')
    .lean();
  if (!holder || String(holder._id) === provenBy) return;
  const rest = { name: holder.name, phone: identifier.kind === 'phone' ? null : holder.phone, email: identifier.kind === 'email' ? null : holder.email };
  const released = await User.updateOne(
    { _id: holder._id, [identifier.kind]: identifier.value, [field]: mongoose.trusted({ $exists: false }) },
    { $unset: { [identifier.kind]: 1 }, $set: { searchText: searchTextOf(rest) } },
  );
  if (released.modifiedCount === 1) {
    await audit({ actor: provenBy, action: 'user.identifierReleased', targetType: 'User', targetId: String(holder._id), after: { kind: identifier.kind }, ip });
  }
}

export type RegisterResult = { ok: true; userId: string } | { ok: false; reason: 'codeInvalid' | 'identifierTaken' | 'identifierInvalid' };

/**
 * Step two: the code proves the number or address; the account is created with it proven, a
 * resident everywhere. The unique index decides when two registrations race for one number.
 */
export async function registerUser(input: {
  name: string;
  identifier: string;
  code: string;
  password: string;
  language: Language;
  ip: string;
}): Promise<RegisterResult> {
  const identifier = normalizeIdentifier(input.identifier);
  if (!identifier) return { ok: false, reason: 'identifierInvalid' };
  const spent = await spendIdentityCode({ purpose: 'register', identifier, code: input.code });
  if (!spent.ok) return spent;
  await releaseUnproven(identifier, null, input.ip);
  try {
    const now = new Date();
    const user = await User.create({
      name: input.name,
      [identifier.kind]: identifier.value,
      [PROVEN_AT[identifier.kind]]: now,
      passwordHash: await hashPassword(input.password),
      passwordChangedAt: now,
      language: input.language,
      roles: [{ role: 'resident', scopeType: 'platform' }],
    });
    return { ok: true, userId: String(user._id) };
  } catch (error) {
    if (isDuplicateKeyError(error)) return { ok: false, reason: 'identifierTaken' };
    throw error;
  }
}

export async function getProfile(userId: string) {
  return User.findById(userId).select('name email phone phoneProvenAt emailProvenAt street community language createdAt').lean();
}

export type ProfileResult = { ok: true } | { ok: false; reason: 'communityMismatch' };

export async function updateProfile(
  userId: string,
  input: { name: string; streetId?: string; communityId?: string; language: Language },
): Promise<ProfileResult> {
  if (input.communityId) {
    const community = await Community.findById(input.communityId).select('street').lean();
    if (!community || String(community.street) !== input.streetId) return { ok: false, reason: 'communityMismatch' };
  }
  if (input.streetId && !(await Street.exists({ _id: input.streetId }))) return { ok: false, reason: 'communityMismatch' };
  const user = await User.findById(userId);
  if (!user) throw new Error(`updateProfile: no user ${userId}`);
  user.name = input.name;
  user.set('street', input.streetId ? new Types.ObjectId(input.streetId) : undefined);
  user.set('community', input.communityId ? new Types.ObjectId(input.communityId) : undefined);
  user.language = input.language;
  await user.save();
  return { ok: true };
}

export async function setLanguage(userId: string, language: Language): Promise<void> {
  await User.updateOne({ _id: userId }, { $set: { language } });
}

export type ChangePasswordResult = { ok: true } | { ok: false; reason: 'wrongPassword' | 'passwordTooManyAttempts' };

/** Current-password checks on the profile, like logins: ten wrong ones per account in 15 minutes. */
export const PASSWORD_CHECK_LIMIT: Limit = { max: 10, windowMs: 15 * 60 * 1000 };

async function checkCurrentPassword(userId: string, password: string): Promise<ChangePasswordResult> {
  const key = `password:account:${userId}`;
  if (!(await consumeAttempt(key, PASSWORD_CHECK_LIMIT)).allowed) return { ok: false, reason: 'passwordTooManyAttempts' };
  const user = await User.findById(userId).select('+passwordHash').lean();
  if (!user || !(await verifyPassword(password, user.passwordHash))) return { ok: false, reason: 'wrongPassword' };
  await resetAttempts(key);
  return { ok: true };
}

/** Changes the password and revokes every session of the user; the caller signs them in anew. */
export async function changePassword(userId: string, currentPassword: string, newPassword: string): Promise<ChangePasswordResult> {
  const checked = await checkCurrentPassword(userId, currentPassword);
  if (!checked.ok) return checked;
  await User.updateOne({ _id: userId }, { $set: { passwordHash: await hashPassword(newPassword), passwordChangedAt: new Date() } });
  await revokeUserSessions(userId);
  await audit({ actor: userId, action: 'user.passwordChanged', targetType: 'User', targetId: userId });
  return { ok: true };
}

export type IdentifierStartResult =
  | { ok: true; identifier: Identifier; sentTo: string }
  | { ok: false; reason: 'identifierInvalid' | 'wrongPassword' | 'passwordTooManyAttempts' | 'tooManyCodes' };

/**
 * Adding, changing or proving one's phone number or e-mail on the profile: the current password,
 * then a code to the number. If another account already proved it, its owner gets a notice and
 * no code goes out, but the answer here is the same.
 */
export async function startIdentifierChange(input: { userId: string; identifier: string; currentPassword: string; language: Language; ip: string }): Promise<IdentifierStartResult> {
  const identifier = normalizeIdentifier(input.identifier);
  if (!identifier) return { ok: false, reason: 'identifierInvalid' };
  const checked = await checkCurrentPassword(input.userId, input.currentPassword);
  if (!checked.ok) return checked;
  const holder = await holderOf(identifier);
  const provenByOther = holder?.proven && holder.id !== input.userId;
  const sent = provenByOther
    ? await sendIdentityNotice({ identifier, notice: 'alreadyRegistered', language: holder.language ?? input.language, ip: input.ip })
    : await sendIdentityCode({ purpose: 'change', identifier, userId: input.userId, language: input.language, ip: input.ip });
  return sent.ok ? { ok: true, identifier, sentTo: sent.sentTo } : sent;
}

export type IdentifierFinishResult = { ok: true } | { ok: false; reason: 'codeInvalid' | 'identifierTaken' };

/** The code proves the number: it becomes (or stays) the account's, marked proven; audited without the number. */
export async function finishIdentifierChange(input: { userId: string; identifier: Identifier; code: string; ip: string }): Promise<IdentifierFinishResult> {
  const spent = await spendIdentityCode({ purpose: 'change', identifier: input.identifier, code: input.code, userId: input.userId });
  if (!spent.ok) return spent;
  await releaseUnproven(input.identifier, input.userId, input.ip);
  const user = await User.findById(input.userId).select('name phone email').lean();
  if (!user) return { ok: false, reason: 'codeInvalid' };
  const kind = input.identifier.kind;
  const next = { name: user.name, phone: user.phone, email: user.email, [kind]: input.identifier.value };
  try {
    await User.updateOne({ _id: user._id }, { $set: { [kind]: input.identifier.value, [PROVEN_AT[kind]]: new Date(), searchText: searchTextOf(next) } });
  } catch (error) {
    if (isDuplicateKeyError(error)) return { ok: false, reason: 'identifierTaken' };
    throw error;
  }
  const changed = user[kind] !== input.identifier.value;
  await audit({ actor: input.userId, action: changed ? 'user.identifierChanged' : 'user.identifierProven', targetType: 'User', targetId: input.userId, after: { kind }, ip: input.ip });
  return { ok: true };
}

// --- Administration of accounts and roles ---------------------------------------------------

const PAGE_SIZE = 20;

export async function searchUsers(query: string, page: number) {
  const filter = query.trim()
    ? { searchText: mongoose.trusted({ $regex: escapeRegex(query.trim().toLowerCase()) }) }
    : {};
  const [users, total] = await Promise.all([
    User.find(filter)
      .select('name email phone roles createdAt')
      .sort({ createdAt: -1, _id: -1 })
      .skip((page - 1) * PAGE_SIZE)
      .limit(PAGE_SIZE)
      .lean(),
    User.countDocuments(filter),
  ]);
  return { users, total, pageSize: PAGE_SIZE };
}

/** The places a role can be granted on, for the admin's form and for validation. */
export async function listScopes() {
  const [streets, communities, competitions] = await Promise.all([
    Street.find().select('name').sort({ order: 1 }).lean(),
    Community.find().select('name street').sort({ code: 1 }).lean(),
    Competition.find().select('title year').sort({ year: -1 }).lean(),
  ]);
  return { streets, communities, competitions };
}

async function scopeExists(scopeType: ScopeType, scopeId: string | null): Promise<boolean> {
  if (scopeType === 'platform') return scopeId === null;
  if (!scopeId || !Types.ObjectId.isValid(scopeId)) return false;
  const model = { street: Street, community: Community, competition: Competition }[scopeType as string];
  // Projects and organizations arrive with later features; until then nothing can be granted on them.
  if (!model) return false;
  return (await (model as typeof Street).exists({ _id: scopeId })) !== null;
}

export type GrantResult = { ok: true } | { ok: false; reason: 'scopeInvalid' | 'alreadyGranted' | 'userNotFound' };

export async function grantRole(input: {
  actorId: string;
  userId: string;
  role: Role;
  scopeType: ScopeType;
  scopeId: string | null;
  ip?: string;
}): Promise<GrantResult> {
  if (!ROLE_SCOPES[input.role].includes(input.scopeType) || !(await scopeExists(input.scopeType, input.scopeId))) {
    return { ok: false, reason: 'scopeInvalid' };
  }
  if (!Types.ObjectId.isValid(input.userId) || !(await User.exists({ _id: input.userId }))) {
    return { ok: false, reason: 'userNotFound' };
  }
  const scopeId = input.scopeId ? new Types.ObjectId(input.scopeId) : null;
  const grant = { role: input.role, scopeType: input.scopeType, scopeId };
  // One atomic update: the grant is pushed only if the same one is not already there.
  const result = await User.updateOne(
    { _id: input.userId, roles: mongoose.trusted({ $not: { $elemMatch: grant } }) },
    { $push: { roles: { ...grant, grantedBy: new Types.ObjectId(input.actorId), grantedAt: new Date() } } },
  );
  if (result.modifiedCount === 0) return { ok: false, reason: 'alreadyGranted' };
  if (input.role === 'admin') await AdminRoster.updateOne({ _id: ADMIN_ROSTER_ID }, { $addToSet: { members: new Types.ObjectId(input.userId) } });
  await audit({
    actor: input.actorId,
    action: 'role.granted',
    targetType: 'User',
    targetId: input.userId,
    after: { role: input.role, scopeType: input.scopeType, scopeId: input.scopeId },
    ip: input.ip,
  });
  return { ok: true };
}

export type RevokeResult = { ok: true } | { ok: false; reason: 'grantNotFound' | 'lastAdmin' };

export async function revokeRole(input: { actorId: string; userId: string; grantId: string; ip?: string }): Promise<RevokeResult> {
  if (!Types.ObjectId.isValid(input.userId) || !Types.ObjectId.isValid(input.grantId)) return { ok: false, reason: 'grantNotFound' };
  const user = await User.findOne({ _id: input.userId, 'roles._id': input.grantId }).select('roles').lean();
  const grant = user?.roles.find((g) => String(g._id) === input.grantId);
  if (!user || !grant) return { ok: false, reason: 'grantNotFound' };
  if (grant.role === 'admin' && !(await leaveAdminRoster(new Types.ObjectId(input.userId)))) {
    return { ok: false, reason: 'lastAdmin' };
  }
  await User.updateOne({ _id: input.userId }, { $pull: { roles: { _id: new Types.ObjectId(input.grantId) } } });
  await audit({
    actor: input.actorId,
    action: 'role.revoked',
    targetType: 'User',
    targetId: input.userId,
    before: { role: grant.role, scopeType: grant.scopeType, scopeId: grant.scopeId ? String(grant.scopeId) : null },
    ip: input.ip,
  });
  return { ok: true };
}

/**
 * Takes an admin off the roster unless they are the last one on it: one conditional update, so
 * two admins revoking each other at the same moment leave one. The roster is made from the
 * admin grants the first time it is needed; afterwards grantRole adds to it. An admin who is not
 * on it (granted outside grantRole after it was made, as demo data and tests do) was never
 * counted, so revoking them cannot leave the roster, and so the platform, without an admin.
 */
async function leaveAdminRoster(userId: Types.ObjectId): Promise<boolean> {
  if (!(await AdminRoster.exists({ _id: ADMIN_ROSTER_ID }))) {
    const admins = await User.find({ 'roles.role': 'admin' }).select('_id').lean();
    await AdminRoster.updateOne({ _id: ADMIN_ROSTER_ID }, { $setOnInsert: { members: admins.map((a) => a._id) } }, { upsert: true });
  }
  const left = await AdminRoster.updateOne(
    { _id: ADMIN_ROSTER_ID, members: userId, 'members.1': mongoose.trusted({ $exists: true }) },
    { $pull: { members: userId } },
  );
  if (left.modifiedCount === 1) return true;
  return !(await AdminRoster.exists({ _id: ADMIN_ROSTER_ID, members: userId }));
}

export async function getUserRoles(userId: string) {
  if (!Types.ObjectId.isValid(userId)) return null;
  return User.findById(userId).select('name roles').lean();
}

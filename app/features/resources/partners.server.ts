import { Types } from 'mongoose';
import { Helper, ResourcePartner } from '#models';
import { isDuplicateKeyError } from '~/core/db.server';
import { DISTRICT_FUND_KEY, type PartnerKind } from './rules';

/**
 * Resource partners are found or created by their key (models/resource-partner.ts), so two
 * parallel recordings of one enterprise, or two offers by one account, share one partner.
 */

export interface PartnerRef {
  id: string;
  kind: PartnerKind;
}

export const FUND_NAME = '崂善行公益基金';

async function upsertPartner(key: string, fields: { kind: PartnerKind; name: string; organization?: string; helper?: string; account?: string; createdBy?: string }): Promise<PartnerRef> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const found = await ResourcePartner.findOne({ key }).select('kind').lean();
    if (found) return { id: String(found._id), kind: found.kind };
    try {
      const doc = await ResourcePartner.create({ key, ...fields });
      return { id: String(doc._id), kind: doc.kind };
    } catch (error) {
      // Another recording created it at the same moment: read that one.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Error(`could not find or create resource partner ${key}`);
}

/** The 崂善行 public-welfare fund (one partner of kind fund). */
export function districtFund(): Promise<PartnerRef> {
  return upsertPartner(DISTRICT_FUND_KEY, { kind: 'fund', name: FUND_NAME });
}

/** A partner a team or the committee names: one per kind and name (case and spaces aside). */
export function namedPartner(kind: Exclude<PartnerKind, 'fund'>, name: string, createdBy: string): Promise<PartnerRef> {
  const key = `${kind}:${name.normalize('NFKC').replace(/\s+/g, '').toLowerCase()}`;
  return upsertPartner(key, { kind, name: name.trim(), createdBy });
}

/**
 * The signed-in person offering themselves: as the certified helper they belong to (an enterprise
 * or organization of the needs whistle), else as an individual under their account's name.
 */
export async function selfPartner(user: { id: string; name: string }): Promise<PartnerRef> {
  const helper = await Helper.findOne({ members: new Types.ObjectId(user.id), status: 'certified' }).select('kind name organization').lean();
  if (helper) {
    return upsertPartner(`helper:${String(helper._id)}`, {
      kind: helper.kind,
      name: helper.name,
      helper: String(helper._id),
      ...(helper.organization ? { organization: String(helper.organization) } : {}),
      createdBy: user.id,
    });
  }
  return upsertPartner(`account:${user.id}`, { kind: 'individual', name: user.name, account: user.id, createdBy: user.id });
}

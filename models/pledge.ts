import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import {
  PARTNER_KINDS,
  PLEDGE_ITEM_MAX,
  PLEDGE_KINDS,
  PLEDGE_NOTE_MAX,
  PLEDGE_QUANTITY_MAX,
  PLEDGE_STATUSES,
  PLEDGE_UNIT_MAX,
  PLEDGE_VALUE_MAX_FEN,
} from '~/features/resources/rules';

/**
 * A pledge of money or goods by a resource partner to exactly one project or one need
 * (docs/decisions/031-resources-and-pledges.md); one of the 崂善行 fund is an allocation. The
 * platform records, it moves no money.
 *
 * Every change of status is one conditional update of this document: delivered once and only
 * from `pledged`, withdrawn only while `pledged`; a delivered pledge is never edited. `valueFen`
 * is the amount (money) or the estimated value (in kind), so sums read one field. The partner's
 * kind and the target's street are copied in for the overview's filters and the dashboard.
 *
 * `showName` is the donor's explicit consent to be named publicly (an individual; unticked by
 * default); without it public pages show 爱心人士. The receipt image is private.
 */
const deliverySchema = new Schema(
  {
    at: { type: Date, required: true },
    note: { type: String, trim: true, maxlength: PLEDGE_NOTE_MAX, default: '' },
    receiptFileId: { type: String },
    recordedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    recordedAt: { type: Date, required: true },
  },
  { _id: false },
);

const positiveFen = { type: Number, min: 1, max: PLEDGE_VALUE_MAX_FEN, validate: Number.isSafeInteger };

const pledgeSchema = new Schema(
  {
    number: { type: Number, required: true, min: 1 },
    partner: { type: Schema.Types.ObjectId, ref: 'ResourcePartner', required: true },
    partnerKind: { type: String, enum: PARTNER_KINDS, required: true },
    showName: { type: Boolean, required: true, default: false },
    // Exactly one target (checked below): a project (with its competition) or a need.
    project: { type: Schema.Types.ObjectId, ref: 'Project' },
    competition: { type: Schema.Types.ObjectId, ref: 'Competition' },
    need: { type: Schema.Types.ObjectId, ref: 'Need' },
    // The need's number beside its id: the need page reads its pledges beside the need, not after it.
    needNumber: { type: Number, min: 1 },
    street: { type: Schema.Types.ObjectId, ref: 'Street' },
    kind: { type: String, enum: PLEDGE_KINDS, required: true },
    amountFen: positiveFen,
    item: { type: String, trim: true, maxlength: PLEDGE_ITEM_MAX },
    quantity: { type: Number, min: 1, max: PLEDGE_QUANTITY_MAX, validate: Number.isSafeInteger },
    unit: { type: String, trim: true, maxlength: PLEDGE_UNIT_MAX },
    estimatedValueFen: positiveFen,
    valueFen: { ...positiveFen, required: true },
    dueAt: { type: Date, required: true },
    note: { type: String, trim: true, maxlength: PLEDGE_NOTE_MAX, default: '' },
    status: { type: String, enum: PLEDGE_STATUSES, required: true, default: 'pledged' },
    recordedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    // Set when the pledger offered it themselves (then they may withdraw it and see its receipt).
    offeredBy: { type: Schema.Types.ObjectId, ref: 'User' },
    delivery: { type: deliverySchema },
    withdrawnAt: { type: Date },
    withdrawnBy: { type: Schema.Types.ObjectId, ref: 'User' },
    withdrawReason: { type: String, trim: true, maxlength: PLEDGE_NOTE_MAX },
  },
  { timestamps: true, strict: true },
);
pledgeSchema.pre('validate', function () {
  if (Boolean(this.project) === Boolean(this.need)) this.invalidate('project', 'a pledge targets exactly one project or one need');
  if (this.kind === 'money' && this.valueFen !== this.amountFen) this.invalidate('valueFen', 'a money pledge is worth its amount');
  if (this.kind === 'inKind' && (!this.item || !this.quantity || this.valueFen !== this.estimatedValueFen)) this.invalidate('item', 'goods have an item, a quantity and an estimated value');
});
pledgeSchema.index({ number: 1 }, { unique: true });
// A project's money by source (its public page) and a need's pledges, newest first.
pledgeSchema.index({ project: 1, status: 1, number: -1 });
pledgeSchema.index({ needNumber: 1, status: 1, number: -1 });
// The committee's overview: all, by status (overdue: pledged past dueAt), by partner kind, by street.
pledgeSchema.index({ status: 1, dueAt: 1 });
pledgeSchema.index({ status: 1, number: -1 });
pledgeSchema.index({ partnerKind: 1, status: 1, number: -1 });
pledgeSchema.index({ street: 1, status: 1, number: -1 });
pledgeSchema.index({ street: 1, partnerKind: 1, status: 1, number: -1 });
// A partner's page, newest first.
pledgeSchema.index({ partner: 1, status: 1, number: -1 });
// Who may see a receipt: found by its file.
pledgeSchema.index({ 'delivery.receiptFileId': 1 }, { sparse: true });

export type PledgeDoc = InferSchemaType<typeof pledgeSchema>;
export const Pledge = (mongoose.models.Pledge as Model<PledgeDoc>) ?? mongoose.model('Pledge', pledgeSchema);

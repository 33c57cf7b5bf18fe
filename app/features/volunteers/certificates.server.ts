import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { VolunteerCertificate } from '#models';
import { isDuplicateKeyError } from '~/core/db.server';
import { getEnv } from '~/core/env.server';
import { fixedT } from '~/core/i18n.server';
import { consumeAttempt, type Limit } from '~/core/rate-limit.server';
import { publicUrl } from '~/core/request.server';
import { formatDate, formatNumber } from '~/utils/format';
import { CERTIFICATE_ALPHABET, CERTIFICATE_CODE_LENGTH, formatCertificateCode, maskedName, minutesToHours } from './rules';
import { totalsOf } from './service.server';

/**
 * Certificates of service hours (docs/decisions/030-volunteers.md). Issuing one keeps the
 * volunteer's totals of that moment under a random code; the PDF and the public verification
 * page both show that snapshot, so a paper printed last year still verifies. The public page
 * shows the name's first character and nothing else about the person.
 */

/** Certificates one volunteer may issue in a day. */
export const ISSUES_PER_DAY: Limit = { max: 10, windowMs: 24 * 60 * 60 * 1000 };
/** Look-ups of codes from one address: a person checking a few papers, never a walk through the space. */
export const LOOKUPS_PER_WINDOW: Limit = { max: 20, windowMs: 10 * 60 * 1000 };

function newCode(): string {
  return Array.from({ length: CERTIFICATE_CODE_LENGTH }, () => CERTIFICATE_ALPHABET[randomInt(CERTIFICATE_ALPHABET.length)]).join('');
}

export type IssueResult = { ok: true; code: string } | { ok: false; reason: 'noHours' | 'tooManyAttempts' };

export async function issueCertificate(input: { volunteer: { id: string; name: string }; now?: Date }): Promise<IssueResult> {
  const now = input.now ?? new Date();
  const totals = await totalsOf(input.volunteer.id);
  if (totals.personTimes === 0 || !totals.firstDay || !totals.lastDay) return { ok: false, reason: 'noHours' };
  if (!(await consumeAttempt(`volunteer-certificate:${input.volunteer.id}`, ISSUES_PER_DAY, now)).allowed) return { ok: false, reason: 'tooManyAttempts' };
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = newCode();
    try {
      await VolunteerCertificate.create({
        code,
        volunteer: new Types.ObjectId(input.volunteer.id),
        name: input.volunteer.name,
        nameInitial: Array.from(input.volunteer.name.trim())[0] ?? '',
        minutes: totals.minutes,
        personTimes: totals.personTimes,
        activities: totals.activities,
        firstDay: totals.firstDay,
        lastDay: totals.lastDay,
        issuedAt: now,
      });
      return { ok: true, code };
    } catch (error) {
      if (isDuplicateKeyError(error)) continue;
      throw error;
    }
  }
  throw new Error('could not allocate a certificate code');
}

/** The volunteer's own certificates, newest first. */
export async function myCertificates(volunteerId: string) {
  const docs = await VolunteerCertificate.find({ volunteer: new Types.ObjectId(volunteerId) }).select('code minutes personTimes issuedAt').sort({ issuedAt: -1 }).limit(10).lean();
  return docs.map((d) => ({ code: d.code, minutes: d.minutes, personTimes: d.personTimes, issuedAt: d.issuedAt.toISOString() }));
}

export async function ownCertificate(volunteerId: string, code: string) {
  return VolunteerCertificate.findOne({ code, volunteer: new Types.ObjectId(volunteerId) }).select('code name minutes personTimes activities firstDay lastDay issuedAt').lean();
}

export type VerifyResult =
  | { ok: true; certificate: { code: string; name: string; minutes: number; personTimes: number; activities: number; firstDay: string; lastDay: string; issuedAt: string } }
  | { ok: false; reason: 'notFound' | 'tooManyAttempts' };

/** What the public page shows for a code: counted against the asking address before the look-up. */
export async function verifyCertificate(code: string | null, ip: string, now = new Date()): Promise<VerifyResult> {
  if (!(await consumeAttempt(`volunteer-certificate-lookup:${ip}`, LOOKUPS_PER_WINDOW, now)).allowed) return { ok: false, reason: 'tooManyAttempts' };
  if (!code) return { ok: false, reason: 'notFound' };
  const doc = await VolunteerCertificate.findOne({ code }).select('code nameInitial minutes personTimes activities firstDay lastDay issuedAt').lean();
  if (!doc) return { ok: false, reason: 'notFound' };
  return {
    ok: true,
    certificate: {
      code: doc.code,
      name: maskedName(doc.nameInitial),
      minutes: doc.minutes,
      personTimes: doc.personTimes,
      activities: doc.activities,
      firstDay: doc.firstDay,
      lastDay: doc.lastDay,
      issuedAt: doc.issuedAt.toISOString(),
    },
  };
}

/** In a font collection (.ttc) the Simplified Chinese face; a single font file ignores it. */
const CJK_FACE = 'NotoSansCJKsc-Regular';
const BRAND = '#17806d';
const SEAL = '#b91c1c';
const INK = '#1c1917';
const MUTED = '#57534e';

/** The certificate as an A4 PDF in Chinese, with the seal text, the code, its address and a QR code of it. */
export async function renderCertificate(certificate: NonNullable<Awaited<ReturnType<typeof ownCertificate>>>): Promise<Buffer> {
  const language = 'zh' as const;
  const t = fixedT(language, ['volunteers']);
  const url = publicUrl(`/volunteers/certificates/${certificate.code}`);
  const doc = new PDFDocument({ size: 'A4', margin: 56, lang: 'zh-CN', displayTitle: true, info: { Title: t('certificate.pdfTitle'), Author: t('certificate.seal') } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', getEnv().PDF_FONT_PATH, CJK_FACE);
  doc.font('cjk');
  const width = doc.page.width - 112;
  doc.rect(28, 28, doc.page.width - 56, doc.page.height - 56).lineWidth(3).strokeColor(BRAND).stroke();
  doc.rect(36, 36, doc.page.width - 72, doc.page.height - 72).lineWidth(0.8).strokeColor(BRAND).stroke();
  doc.fillColor(BRAND).fontSize(30).text(t('certificate.pdfTitle'), 56, 110, { width, align: 'center', characterSpacing: 6 });
  doc.moveDown(1.6).fillColor(INK).fontSize(15);
  const hours = formatNumber(minutesToHours(certificate.minutes), language);
  doc.text(
    t('certificate.pdfBody', {
      name: certificate.name,
      from: formatDate(`${certificate.firstDay}T12:00:00+08:00`, language, { dateStyle: 'long' }),
      to: formatDate(`${certificate.lastDay}T12:00:00+08:00`, language, { dateStyle: 'long' }),
      activities: formatNumber(certificate.activities, language),
      personTimes: formatNumber(certificate.personTimes, language),
      hours,
    }),
    56,
    doc.y,
    { width, lineGap: 10, indent: 30 },
  );
  doc.moveDown(1.2).fontSize(22).fillColor(BRAND).text(t('certificate.pdfHours', { hours }), { width, align: 'center' });
  doc.moveDown(0.8).fontSize(13).fillColor(INK).text(t('certificate.pdfThanks'), { width, lineGap: 8, indent: 30 });

  // The seal: a red ring with the platform's name and the date of issue beside it.
  const sealX = doc.page.width - 56 - 90;
  const sealY = 560;
  doc.circle(sealX, sealY, 62).lineWidth(3).strokeColor(SEAL).stroke();
  doc.circle(sealX, sealY, 55).lineWidth(0.8).strokeColor(SEAL).stroke();
  doc.fillColor(SEAL).fontSize(10).text(t('certificate.seal'), sealX - 50, sealY - 22, { width: 100, align: 'center', lineGap: 2 });
  doc.fontSize(18).text('★', sealX - 50, sealY + 10, { width: 100, align: 'center' });
  doc.fillColor(INK).fontSize(13).text(t('certificate.seal'), 56, sealY - 10, { width: width - 170, align: 'left' });
  doc.text(t('certificate.pdfIssued', { date: formatDate(certificate.issuedAt, language, { dateStyle: 'long' }) }), 56, doc.y + 6, { width: width - 170 });

  // Verification: the code, its address and a QR code of the address.
  const qr = await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 240 });
  const boxY = 680;
  doc.image(qr, 56, boxY, { width: 96 });
  doc.fillColor(MUTED).fontSize(11).text(t('certificate.pdfVerify'), 168, boxY + 4, { width: width - 112 });
  doc.fillColor(INK).fontSize(14).text(formatCertificateCode(certificate.code), 168, doc.y + 4, { width: width - 112, characterSpacing: 1 });
  doc.fillColor(MUTED).fontSize(9).text(url, 168, doc.y + 4, { width: width - 112 });
  doc.end();
  return done;
}

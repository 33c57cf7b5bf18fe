import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/**
 * A4 notices for community bulletin boards (issue 18, decision 033), pure layout: one page per
 * notice, large type, the QR code of the page (drawn as vector squares) and its short address.
 * Each feature says what goes on its notice (competitions/, proposals/, projects/ notice.server.ts);
 * this file knows nothing of them. Server only (pdfkit): never imported by a component.
 */
export interface Notice {
  /** The band at the top: programme and kind of notice. */
  kicker: string;
  title: string;
  lead?: string;
  facts: { label: string; value: string }[];
  /** Paragraphs under the facts (how to vote, the next milestone). */
  body?: string[];
  /** The page's full address, in the QR code. */
  url: string;
  /** The address printed under the code, short enough to type. */
  shortUrl: string;
  scanHint: string;
  footer: string;
}

/** In a font collection (.ttc) the Simplified Chinese face; a single font file ignores it. */
const CJK_FACE = 'NotoSansCJKsc-Regular';
const BRAND = '#0f6b5b';
const INK = '#1c1917';
const MUTED = '#44403c';
const RULE = '#a8a29e';
const MARGIN = 48;
const QR_SIZE = 150;

function drawQr(doc: PDFKit.PDFDocument, url: string, x: number, y: number, size: number) {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const quiet = 2;
  const cell = size / (modules.size + 2 * quiet);
  doc.rect(x, y, size, size).fill('#ffffff');
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell + 0.05, cell + 0.05);
    }
  }
  doc.fill(INK);
}

export async function renderNotices(notices: readonly Notice[], info: { title: string; author: string; fontPath: string }, now = new Date()): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    // The layout places everything itself, within MARGIN; pdfkit's own bottom margin is kept
    // small so the footer line under it never starts a page of its own.
    margins: { top: MARGIN, bottom: 8, left: MARGIN, right: MARGIN },
    autoFirstPage: false,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: info.title, Author: info.author, CreationDate: now },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', info.fontPath, CJK_FACE);

  for (const notice of notices) {
    doc.addPage();
    doc.font('cjk');
    const width = doc.page.width - 2 * MARGIN;
    const footerY = doc.page.height - MARGIN - 14;
    const qrY = footerY - 16 - QR_SIZE;

    doc.rect(0, 0, doc.page.width, 64).fill(BRAND);
    doc.fillColor('#ffffff').fontSize(18).text(notice.kicker, MARGIN, 22, { width, lineBreak: false, ellipsis: true });

    doc.fillColor(INK).fontSize(30).text(notice.title, MARGIN, 92, { width, height: 128, ellipsis: true, lineGap: 4 });
    if (notice.lead) doc.moveDown(0.4).fillColor(MUTED).fontSize(17).text(notice.lead, MARGIN, doc.y, { width, height: 110, ellipsis: true, lineGap: 3 });

    // The facts: two columns of boxes, label over value.
    doc.moveDown(0.8);
    const column = (width - 16) / 2;
    const top = doc.y;
    notice.facts.forEach((fact, i) => {
      const x = MARGIN + (i % 2) * (column + 16);
      const y = top + Math.floor(i / 2) * 70;
      doc.rect(x, y, column, 62).lineWidth(1).strokeColor(RULE).stroke();
      doc.fillColor(MUTED).fontSize(13).text(fact.label, x + 10, y + 7, { width: column - 20, lineBreak: false, ellipsis: true });
      // A long value (a date range) is set smaller until it fits its box on one line.
      let size = 20;
      while (size > 12 && doc.fontSize(size).widthOfString(fact.value) > column - 20) size -= 1;
      doc.fillColor(INK).fontSize(size).text(fact.value, x + 10, y + 27 + (20 - size) / 2, { width: column - 20, height: 28, lineBreak: false, ellipsis: true });
    });
    doc.x = MARGIN;
    doc.y = top + Math.ceil(notice.facts.length / 2) * 70 + 6;

    const room = qrY - 16 - doc.y;
    if (notice.body?.length && room > 40) {
      doc.fillColor(INK).fontSize(16).text(notice.body.join('\n'), MARGIN, doc.y, { width, height: room, ellipsis: true, lineGap: 4, paragraphGap: 6 });
    }

    doc.moveTo(MARGIN, qrY - 8).lineTo(MARGIN + width, qrY - 8).lineWidth(1.5).strokeColor(INK).stroke();
    drawQr(doc, notice.url, MARGIN, qrY, QR_SIZE);
    const textX = MARGIN + QR_SIZE + 20;
    doc.fillColor(INK).fontSize(17).text(notice.scanHint, textX, qrY + 24, { width: width - QR_SIZE - 20 });
    doc.moveDown(0.4).fontSize(22).text(notice.shortUrl, textX, doc.y, { width: width - QR_SIZE - 20 });
    doc.fillColor(MUTED).fontSize(11).text(notice.footer, MARGIN, footerY, { width, lineBreak: false, ellipsis: true });
  }
  doc.end();
  return done;
}

/** The notices as a download, never kept by a shared cache (a bundle is for its committee or workers). */
export function noticePdfResponse(pdf: Buffer, filename: string, cache: 'public' | 'private'): Response {
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="${filename}"`,
      'Content-Length': String(pdf.length),
      'Cache-Control': cache === 'public' ? 'public, max-age=300' : 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}


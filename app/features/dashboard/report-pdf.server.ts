import PDFDocument from 'pdfkit';
import { SERIES_FILLS } from '~/components/charts';
import { getEnv } from '~/core/env.server';
import { fixedT } from '~/core/i18n.server';
import { formatDate, formatMoney, formatNumber } from '~/utils/format';
import { CHARTS, cellValue, chartTable, type ChartId } from './figures';
import { formatCell, labelsFor, placesOf, seriesNameKey } from './labels';
import type { AnnualReport } from './report.server';

/**
 * The annual report as a PDF (issue 15): A4, in Chinese, drawn with pdfkit from the same figures
 * as the dashboard (figures.ts), its bar charts as vector rectangles, with the CJK font of
 * PDF_FONT_PATH embedded as a subset of the characters used (pdfkit subsets every embedded font),
 * so the file stays small. Pages are numbered "第 n 页，共 N 页" once all are laid out.
 */

/** In a font collection (.ttc) the Simplified Chinese face; a single font file ignores it. */
const CJK_FACE = 'NotoSansCJKsc-Regular';
const BRAND = '#17806d';
/** A chart's series in order, in the page's own fills. */
const SERIES_COLOURS = SERIES_FILLS;
const INK = '#1c1917';
const MUTED = '#57534e';
const RULE = '#d6d3d1';
const MARGIN = 56;

export async function renderAnnualReport(report: AnnualReport, now = new Date()): Promise<Buffer> {
  const language = 'zh' as const;
  const t = fixedT(language, ['dashboard', 'projects']);
  const labels = labelsFor(t, language, placesOf(report.raw));
  const title = t('dashboard:pdf.title', { year: report.year });
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: title, Author: t('dashboard:pdf.author'), Subject: t('dashboard:pdf.subtitle'), CreationDate: now },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', getEnv().PDF_FONT_PATH, CJK_FACE);
  doc.font('cjk');

  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - 20;
  const room = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };
  const heading = (text: string) => {
    room(60);
    doc.moveDown(0.6).fillColor(BRAND).fontSize(16).text(text, MARGIN, doc.y, { width });
    doc.moveTo(MARGIN, doc.y + 2).lineTo(MARGIN + width, doc.y + 2).lineWidth(1).strokeColor(BRAND).stroke();
    doc.moveDown(0.6).fillColor(INK).fontSize(10.5);
  };

  // Cover.
  const { figures } = report;
  const competitions = report.raw.competitions.filter((c) => c.year === report.year);
  doc.rect(0, 0, doc.page.width, 260).fill(BRAND);
  doc.fillColor('#ffffff').fontSize(30).text(title, MARGIN, 110, { width });
  doc.fontSize(14).text(t('dashboard:pdf.subtitle'), MARGIN, doc.y + 10, { width });
  doc.fillColor(INK).fontSize(12).text(t('dashboard:pdf.district'), MARGIN, 300, { width });
  doc.moveDown(0.8).fillColor(MUTED).fontSize(11).text(t('dashboard:pdf.competitions'), { width });
  for (const competition of competitions) doc.fillColor(INK).fontSize(12).text(competition.title.zh, { width });
  doc.moveDown(1.5).fillColor(MUTED).fontSize(10).text(t('dashboard:pdf.generated', { date: formatDate(now, language, { dateStyle: 'long' }) }), { width });
  doc.moveDown(0.5).text(t('dashboard:pdf.privacy'), { width });

  // Key figures: two columns of label and value.
  doc.addPage();
  heading(t('dashboard:pdf.figures'));
  const s = figures.summary;
  const items: [string, string][] = [
    [t('dashboard:summary.competitions'), formatNumber(s.competitions, language)],
    [t('dashboard:summary.proposals'), formatNumber(s.proposals, language)],
    [t('dashboard:summary.voters'), formatNumber(s.voters, language)],
    [t('dashboard:summary.projects'), formatNumber(s.projects, language)],
    [t('dashboard:summary.approved'), formatMoney(s.approvedFen, language)],
    [t('dashboard:summary.spent'), formatMoney(s.spentFen, language)],
    [t('dashboard:summary.peopleServed'), formatNumber(s.peopleServed, language)],
    [t('dashboard:summary.volunteerHours'), `${t('dashboard:summary.volunteerHoursValue', { hours: formatNumber(Math.round(s.volunteerHours * 10) / 10, language) })}（${t('dashboard:summary.volunteerPersonTimes', { times: formatNumber(s.volunteerPersonTimes, language) })}）`],
    [t('dashboard:summary.rating'), s.ratingAverage === null ? t('dashboard:summary.noRating') : `${t('dashboard:summary.ratingValue', { average: s.ratingAverage.toFixed(1) })}（${t('dashboard:summary.ratingCount', { n: s.ratings })}）`],
    [t('dashboard:summary.organizations'), formatNumber(s.organizations, language)],
  ];
  const column = (width - 20) / 2;
  const top = doc.y;
  items.forEach(([label, value], i) => {
    const x = MARGIN + (i % 2) * (column + 20);
    const y = top + Math.floor(i / 2) * 48;
    doc.rect(x, y, column, 40).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.fillColor(MUTED).fontSize(9).text(label, x + 8, y + 5, { width: column - 16, lineBreak: false });
    doc.fillColor(INK).fontSize(13).text(value, x + 8, y + 19, { width: column - 16, lineBreak: false });
  });
  doc.x = MARGIN;
  doc.y = top + Math.ceil(items.length / 2) * 48;

  // The competitions' charts, as on the dashboard (the history chart is for all years only; the
  // needs whistle is not a competition's work, so its charts stay on the dashboard).
  for (const chart of CHARTS.filter((c): c is Exclude<ChartId, 'byYear' | 'needs' | 'needsByCategory'> => c !== 'byYear' && c !== 'needs' && c !== 'needsByCategory')) {
    const table = chartTable(figures, chart, labels);
    const rows = table.rows;
    const series = table.series;
    const rowHeight = series.length * 9 + (series.length - 1) * 2 + 8;
    room(46 + Math.min(rows.length, 8) * rowHeight);
    doc.moveDown(0.8).fillColor(INK).fontSize(12.5).text(t(`dashboard:chart.${chart}`), MARGIN, doc.y, { width });
    if (series.length > 1) {
      const y = doc.y + 3;
      let x = MARGIN;
      series.forEach((c, i) => {
        const name = t(seriesNameKey(table.columns[c]!));
        doc.rect(x, y + 2, 8, 8).fill(SERIES_COLOURS[i % SERIES_COLOURS.length]);
        doc.fillColor(MUTED).fontSize(9).text(name, x + 12, y, { lineBreak: false });
        x += 12 + doc.widthOfString(name) + 16;
      });
      doc.y = y + 14;
    }
    doc.moveDown(0.4);
    const max = Math.max(1, ...rows.flatMap((row) => series.map((c) => cellValue(row[c]!))));
    const labelWidth = 120;
    const valueWidth = 110;
    const barWidth = width - labelWidth - valueWidth - 16;
    for (const row of rows) {
      room(rowHeight);
      const y = doc.y;
      doc.fillColor(INK).fontSize(9.5).text(formatCell(row[0]!, language), MARGIN, y, { width: labelWidth, lineBreak: false, ellipsis: true });
      series.forEach((c, i) => {
        const value = cellValue(row[c]!);
        const barY = y + i * 11;
        doc.rect(MARGIN + labelWidth + 8, barY + 1, Math.max(value > 0 ? 1.5 : 0, (value / max) * barWidth), 9).fill(SERIES_COLOURS[i % SERIES_COLOURS.length]);
        doc.fillColor(MUTED).fontSize(8.5).text(formatCell(row[c]!, language), MARGIN + labelWidth + 16 + barWidth, barY, { width: valueWidth, lineBreak: false, align: 'right' });
      });
      doc.x = MARGIN;
      doc.y = y + rowHeight;
    }
    if (chart === 'organizationsByStage') {
      doc.fillColor(MUTED).fontSize(9).text(t('dashboard:chart.organizationsNote', { when: t('dashboard:chart.organizationsAtEnd', { year: report.year }) }), MARGIN, doc.y + 2, { width });
    }
  }

  // The funded projects with their outcomes.
  doc.addPage();
  heading(t('dashboard:pdf.projects'));
  const columns: { key: string; width: number; align?: 'right' }[] = [
    { key: 'number', width: 28 },
    { key: 'title', width: 118 },
    { key: 'street', width: 62 },
    { key: 'status', width: 44 },
    { key: 'approved', width: 62, align: 'right' },
    { key: 'spent', width: 62, align: 'right' },
    { key: 'people', width: 44, align: 'right' },
    { key: 'rating', width: 63, align: 'right' },
  ];
  const header = () => {
    const y = doc.y;
    let x = MARGIN;
    doc.fillColor(MUTED).fontSize(8.5);
    for (const c of columns) {
      doc.text(t(`dashboard:pdf.column.${c.key}`), x, y, { width: c.width - 4, align: c.align, lineBreak: false });
      x += c.width;
    }
    doc.moveTo(MARGIN, y + 14).lineTo(MARGIN + width, y + 14).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.x = MARGIN;
    doc.y = y + 18;
  };
  if (!report.projects.length) doc.text(t('dashboard:pdf.noProjects'), { width });
  else header();
  const bySlug = new Map(report.raw.competitions.map((c) => [c.id, c]));
  for (const p of report.projects) {
    const cells = [
      competitions.length > 1 ? `${bySlug.get(p.competition)?.slug.slice(0, 4) ?? ''}-${p.number}` : String(p.number),
      p.title,
      labels.street(p.street),
      labels.status(p.status),
      formatMoney(p.approvedFen, language),
      formatMoney(p.spentFen, language),
      formatNumber(p.peopleServed, language),
      p.ratingAverage === null ? '—' : `${p.ratingAverage.toFixed(1)}（${p.ratings}）`,
    ];
    doc.fontSize(9);
    const titleHeight = doc.heightOfString(p.title, { width: columns[1]!.width - 4 });
    const organization = p.organization ? t('dashboard:pdf.implementer', { name: p.organization }) : '';
    const orgHeight = organization ? doc.fontSize(8).heightOfString(organization, { width: columns[1]!.width - 4 }) : 0;
    const height = Math.max(14, titleHeight + orgHeight) + 6;
    if (doc.y + height > bottom()) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      const c = columns[i]!;
      doc.fillColor(INK).fontSize(9).text(cell, x, y, { width: c.width - 4, align: c.align, lineBreak: i === 1 });
      if (i === 1 && organization) doc.fillColor(MUTED).fontSize(8).text(organization, x, y + titleHeight, { width: c.width - 4 });
      x += c.width;
    });
    doc.moveTo(MARGIN, y + height - 3).lineTo(MARGIN + width, y + height - 3).lineWidth(0.3).strokeColor(RULE).stroke();
    doc.x = MARGIN;
    doc.y = y + height;
  }

  // The organizations that grew this year.
  heading(t('dashboard:pdf.organizations', { year: report.year }));
  if (!figures.organizationsGrown.length) doc.fillColor(INK).text(t('dashboard:pdf.noOrganizations'), { width });
  for (const g of figures.organizationsGrown) {
    room(18);
    const change = g.from ? t('dashboard:pdf.stageChange', { from: labels.stage(g.from), to: labels.stage(g.to) }) : t('dashboard:pdf.stageStart', { to: labels.stage(g.to) });
    const y = doc.y;
    doc.fillColor(MUTED).fontSize(9).text(formatDate(g.at, language, { dateStyle: 'medium' }), MARGIN, y, { width: 90, lineBreak: false });
    doc.fillColor(INK).fontSize(10).text(g.name, MARGIN + 92, y, { width: 200, lineBreak: false, ellipsis: true });
    doc.text(change, MARGIN + 296, y, { width: width - 296, lineBreak: false });
    doc.x = MARGIN;
    doc.y = y + 17;
  }

  // How the figures are counted (the dashboard's note).
  heading(t('dashboard:definitions.title'));
  for (const key of ['scope', 'proposals', 'voters', 'turnout', 'approved', 'spent', 'people', 'rating', 'organizations']) {
    doc.fillColor(INK).fontSize(9.5).text(`· ${t(`dashboard:definitions.${key}`)}`, MARGIN, doc.y, { width, paragraphGap: 4 });
  }

  // Page numbers, in the bottom margin (so writing them adds no page), the cover left bare.
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fillColor(MUTED).fontSize(8.5).text(t('dashboard:pdf.page', { n: i + 1, total: range.count }), MARGIN, doc.page.height - MARGIN + 16, { width, align: 'center', lineBreak: false });
    doc.text(title, MARGIN, doc.page.height - MARGIN + 16, { width, align: 'left', lineBreak: false });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}

/**
 * The picture of a need's share card (1200×630, the size link previews use), drawn as SVG text:
 * every piece of text is escaped for XML, characters XML cannot carry are dropped, and the
 * description is wrapped and cut to fit. Pure, so the route and the tests draw the same card.
 */

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;

const BRAND = { dark: '#0c564a', light: '#d7f1ea', accent: '#b45309', ink: '#1c1917', muted: '#57534e', paper: '#fbfaf7', urgent: '#b91c1c' };
const FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/** Text for XML content and attributes: the five special characters escaped, control characters and lone surrogates dropped. */
export function escapeXml(text: string): string {
  return [...text]
    .filter((char) => {
      const code = char.codePointAt(0)!;
      // XML 1.0 has no place for control characters (but tab and line ends), U+FFFE/U+FFFF or a lone surrogate.
      return (code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) && code !== 0xfffe && code !== 0xffff && !(code >= 0xd800 && code <= 0xdfff);
    })
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** About how wide a character is, in ems: CJK and full-width ones one em, the rest about half. */
function width(char: string): number {
  return /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\ud840-\ud8bf][\udc00-\udfff]/.test(char) ? 1 : 0.55;
}

const CLOSING = '，。、；：？！”’）》」』】…,.;:?!)';

/** Lines of at most `ems` ems, at most `lines` of them, the last ending in "…" when the text goes on. */
export function wrapText(text: string, ems: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  let used = 0;
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    const w = width(char);
    // A closing mark never starts a line (it stays on the line before, a little past the edge).
    if (used + w > ems && !CLOSING.includes(char)) {
      out.push(line);
      line = '';
      used = 0;
      if (out.length === lines) {
        out[lines - 1] = `${[...out[lines - 1]!].slice(0, -1).join('')}…`;
        return out;
      }
      if (char === ' ') continue;
    }
    line += char;
    used += w;
  }
  if (line) out.push(line);
  return out;
}

export interface CardText {
  brand: string;
  heading: string;
  category: string;
  urgency: string;
  urgent: boolean;
  status: string;
  community: string | null;
  description: string;
  scan: string;
  number: string;
}

/** The card: the brand band, the category with its urgency and status, the community, the description, and the QR code of the need's page. */
export function cardSvg(text: CardText, qr: { size: number; path: string }): string {
  const qrSize = 250;
  const qrX = CARD_WIDTH - 60 - qrSize;
  const qrY = 230;
  const lines = wrapText(text.description, 20, 5);
  const pill = (x: number, label: string, fill: string, colour: string) => {
    const w = Math.round([...label].reduce((s, c) => s + width(c), 0) * 30 + 40);
    return { w, svg: `<rect x="${x}" y="200" width="${w}" height="50" rx="25" fill="${fill}"/><text x="${x + w / 2}" y="235" text-anchor="middle" font-size="30" font-weight="700" fill="${colour}">${escapeXml(label)}</text>` };
  };
  const status = pill(60, text.status, BRAND.light, BRAND.dark);
  const urgency = pill(60 + status.w + 16, text.urgency, text.urgent ? '#fee2e2' : '#f5f5f4', text.urgent ? BRAND.urgent : BRAND.muted);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" viewBox="0 0 ${CARD_WIDTH} ${CARD_HEIGHT}" font-family="${FONT}">
<rect width="${CARD_WIDTH}" height="${CARD_HEIGHT}" fill="${BRAND.paper}"/>
<rect width="${CARD_WIDTH}" height="100" fill="${BRAND.dark}"/>
<circle cx="95" cy="50" r="28" fill="${BRAND.urgent}"/><rect x="82" y="37" width="26" height="26" rx="6" fill="#ffffff"/>
<text x="140" y="65" font-size="40" font-weight="700" fill="#ffffff">${escapeXml(text.brand)}</text>
<text x="${CARD_WIDTH - 60}" y="63" text-anchor="end" font-size="28" fill="${BRAND.light}">${escapeXml(text.number)}</text>
<text x="60" y="172" font-size="50" font-weight="700" fill="${BRAND.ink}">${escapeXml(text.heading)}</text>
${status.svg}${urgency.svg}
${text.community ? `<text x="60" y="300" font-size="30" fill="${BRAND.muted}">${escapeXml(text.community)}</text>` : ''}
${lines.map((line, i) => `<text x="60" y="${360 + i * 48}" font-size="34" fill="${BRAND.ink}">${escapeXml(line)}</text>`).join('\n')}
<rect x="${qrX - 12}" y="${qrY - 12}" width="${qrSize + 24}" height="${qrSize + 24}" rx="12" fill="#ffffff" stroke="${BRAND.light}" stroke-width="3"/>
<svg x="${qrX}" y="${qrY}" width="${qrSize}" height="${qrSize}" viewBox="0 0 ${qr.size} ${qr.size}" shape-rendering="crispEdges"><path d="${qr.path}" fill="${BRAND.dark}"/></svg>
<text x="${CARD_WIDTH - 60}" y="${qrY + qrSize + 50}" text-anchor="end" font-size="24" fill="${BRAND.muted}">${escapeXml(text.scan)}</text>
</svg>`;
}

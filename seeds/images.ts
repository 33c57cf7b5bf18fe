import sharp from 'sharp';

/**
 * Pictures for the demo, drawn here as SVG and rendered by sharp: nothing is downloaded and no
 * real person or home is shown. Each is a simple scene in the brand colours for the proposal's
 * direction, with its title on a band at the bottom (legible where CJK fonts are installed;
 * the shapes carry the picture where they are not).
 */
const BRAND = { dark: '#0f6b5b', light: '#d7f1ea', accent: '#d97a2b', ink: '#113c34', paper: '#fbfaf7' };
const WIDTH = 960;
const HEIGHT = 720;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function person(x: number, ground: number, height: number, colour: string): string {
  const head = height * 0.16;
  return (
    `<circle cx="${x}" cy="${ground - height + head}" r="${head}" fill="${colour}"/>` +
    `<rect x="${x - head * 1.1}" y="${ground - height + head * 2.3}" width="${head * 2.2}" height="${height - head * 2.3}" rx="${head}" fill="${colour}"/>`
  );
}

function house(x: number, ground: number, size: number, wall: string): string {
  return (
    `<rect x="${x}" y="${ground - size}" width="${size * 1.2}" height="${size}" fill="${wall}"/>` +
    `<polygon points="${x - size * 0.12},${ground - size} ${x + size * 0.6},${ground - size * 1.6} ${x + size * 1.32},${ground - size}" fill="${BRAND.accent}"/>` +
    `<rect x="${x + size * 0.45}" y="${ground - size * 0.55}" width="${size * 0.3}" height="${size * 0.55}" fill="${BRAND.dark}"/>` +
    `<rect x="${x + size * 0.12}" y="${ground - size * 0.8}" width="${size * 0.22}" height="${size * 0.22}" fill="${BRAND.light}"/>`
  );
}

/** The foreground of a scene, one per proposal direction. */
function motif(category: string, v: number): string {
  const ground = 540;
  const shift = (v % 5) * 30;
  switch (category) {
    case 'children':
      return [person(300 + shift, ground, 150, BRAND.paper), person(420 + shift, ground, 110, BRAND.accent), person(520 + shift, ground, 125, BRAND.paper)].join('');
    case 'entrepreneurship':
      return (
        Array.from({ length: 6 }, (_, i) => `<rect x="${260 + i * 70}" y="330" width="70" height="60" fill="${i % 2 ? BRAND.paper : BRAND.accent}"/>`).join('') +
        `<rect x="280" y="390" width="380" height="150" fill="${BRAND.ink}" opacity="0.55"/>` +
        Array.from({ length: 4 }, (_, i) => `<circle cx="${330 + i * 90}" cy="380" r="22" fill="${BRAND.light}"/>`).join('')
      );
    case 'home-renovation':
      return house(300 + shift, ground, 210, BRAND.paper) + `<rect x="640" y="330" width="24" height="210" fill="${BRAND.accent}" transform="rotate(12 652 435)"/>`;
    case 'elderly':
      return (
        `<rect x="260" y="470" width="360" height="22" rx="8" fill="${BRAND.ink}"/><rect x="280" y="490" width="16" height="50" fill="${BRAND.ink}"/><rect x="584" y="490" width="16" height="50" fill="${BRAND.ink}"/>` +
        person(360 + shift / 2, 480, 140, BRAND.paper) + person(500 + shift / 2, 480, 130, BRAND.accent) +
        `<circle cx="760" cy="330" r="90" fill="${BRAND.dark}"/><rect x="750" y="400" width="20" height="140" fill="${BRAND.ink}"/>`
      );
    case 'illness-disability':
      return (
        `<circle cx="${420 + shift}" cy="470" r="70" fill="none" stroke="${BRAND.paper}" stroke-width="16"/>` +
        person(430 + shift, 440, 170, BRAND.paper) +
        `<rect x="650" y="320" width="150" height="50" rx="10" fill="${BRAND.accent}"/><rect x="700" y="270" width="50" height="150" rx="10" fill="${BRAND.accent}"/>`
      );
    case 'psychological':
      return (
        `<path d="M480 520 C 300 400, 340 250, 480 330 C 620 250, 660 400, 480 520 Z" fill="${BRAND.accent}"/>` +
        `<rect x="${180 + shift}" y="250" width="170" height="90" rx="40" fill="${BRAND.paper}"/><rect x="${620 - shift}" y="220" width="150" height="80" rx="36" fill="${BRAND.light}"/>`
      );
    case 'education':
      return (
        Array.from({ length: 5 }, (_, i) => `<rect x="${300 + (i % 2) * 20}" y="${500 - i * 42}" width="300" height="38" rx="6" fill="${[BRAND.paper, BRAND.accent, BRAND.light, BRAND.ink, BRAND.paper][i]}"/>`).join('') +
        person(700 + shift / 2, ground, 150, BRAND.paper)
      );
    default:
      return (
        house(170 + shift, ground, 120, BRAND.paper) + house(420 + shift, ground, 140, BRAND.light) + house(690, ground, 110, BRAND.paper) +
        `<path d="M220 300 Q 480 180 750 300" fill="none" stroke="${BRAND.accent}" stroke-width="10" stroke-dasharray="18 14"/>`
      );
  }
}

/** Font size that fits a caption of CJK characters (each about 1 em wide) on one line of the band. */
function captionSize(caption: string): number {
  return Math.min(40, Math.floor((WIDTH - 80) / caption.length));
}

/** A 960×720 PNG scene for a proposal; `variant` changes light, sea and placement. */
export function demoPhoto(category: string, caption: string, variant: number): Promise<Buffer> {
  const angle = (variant * 37) % 90;
  const sunX = 150 + ((variant * 173) % 660);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
  <defs><linearGradient id="sky" gradientTransform="rotate(${angle} 0.5 0.5)"><stop offset="0" stop-color="${BRAND.light}"/><stop offset="1" stop-color="${variant % 2 ? '#9fd3c5' : '#f3d9c2'}"/></linearGradient></defs>
  <rect width="${WIDTH}" height="${HEIGHT}" fill="url(#sky)"/>
  <circle cx="${sunX}" cy="150" r="70" fill="${BRAND.accent}" opacity="0.85"/>
  <path d="M0 420 Q 200 ${330 + (variant % 4) * 20} 420 400 T 960 380 V 720 H 0 Z" fill="${BRAND.dark}" opacity="0.35"/>
  <path d="M0 540 H 960 V 720 H 0 Z" fill="${BRAND.dark}"/>
  ${motif(category, variant)}
  <rect y="606" width="${WIDTH}" height="114" fill="${BRAND.ink}" opacity="0.78"/>
  <text x="40" y="672" font-family="Noto Sans CJK SC, Noto Sans SC, sans-serif" font-size="${captionSize(caption)}" fill="#ffffff">${escapeXml(caption)}</text>
  <text x="920" y="700" text-anchor="end" font-family="Noto Sans CJK SC, sans-serif" font-size="20" fill="${BRAND.light}">示意图 · 演示数据</text>
</svg>`;
  return sharp(Buffer.from(svg)).png({ compressionLevel: 1 }).toBuffer();
}

/** A photo of a signed paper consent form (lines for text, a signature), for assisted proposals. */
export function consentFormPhoto(): Promise<Buffer> {
  return documentPhoto('代为提交提案同意书');
}

/** A photo of a signed and stamped paper document with this title (a form, a bank letter). */
export function documentPhoto(title: string): Promise<Buffer> {
  const lines = Array.from({ length: 9 }, (_, i) => `<rect x="120" y="${190 + i * 42}" width="${i % 3 === 2 ? 380 : 560}" height="10" rx="5" fill="#c9c4b8"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="960">
  <rect width="720" height="960" fill="#8a7f6d"/>
  <g transform="rotate(-2 360 480)">
  <rect x="60" y="60" width="600" height="840" fill="${BRAND.paper}"/>
  <text x="360" y="140" text-anchor="middle" font-family="Noto Sans CJK SC, sans-serif" font-size="34" fill="${BRAND.ink}">${escapeXml(title)}</text>
  ${lines}
  <path d="M420 760 C 450 700, 480 800, 520 740 S 590 720, 610 760" fill="none" stroke="#1f3fa0" stroke-width="5"/>
  <circle cx="200" cy="760" r="60" fill="none" stroke="#c8332b" stroke-width="6" opacity="0.8"/>
  </g>
</svg>`;
  return sharp(Buffer.from(svg)).png({ compressionLevel: 1 }).toBuffer();
}

import QRCode from 'qrcode';
import { pickText, type Language } from '~/core/locales';
import { publicUrl } from '~/core/request.server';
import { getNeedPage } from './board.server';
import type { NeedStatus, NeedUrgency } from './needs';
import { needReference } from './reference.server';

/**
 * What a need's share card shows (the page people forward in WeChat, and its picture): the
 * public view only, read as an anonymous visitor (getNeedPage with no viewer), then narrowed to
 * the fields a card needs, so neither the private details nor the grid, the helpers or the report
 * can reach a shared page even if the public view grows. Null for an unknown or non-public need.
 */
export interface NeedShare {
  number: number;
  category: string;
  urgency: NeedUrgency;
  status: NeedStatus;
  community: string | null;
  description: string;
  publishedAt: string | null;
  /** The need's page, absolute (PUBLIC_ORIGIN), for the QR code and the link. */
  url: string;
  /** The QR code of `url` as one SVG path over a `size`-module square. */
  qr: { size: number; path: string };
}

export async function needShare(number: number, language: Language): Promise<NeedShare | null> {
  const [need, reference] = await Promise.all([getNeedPage(number, null, null), needReference()]);
  if (!need) return null;
  const category = reference.categories.find((c) => c.code === need.category);
  const url = publicUrl(`/needs/${need.number}`);
  return {
    number: need.number,
    category: category ? pickText(category.name, language) : need.category,
    urgency: need.urgency,
    status: need.status,
    community: need.community ? pickText(need.community, language) : null,
    description: need.description,
    publishedAt: need.publishedAt,
    url,
    qr: qrPath(url),
  };
}

/** A QR code (error correction M) as one path of unit squares: drawn by the page and the card alike, no image request, no script. */
export function qrPath(text: string): { size: number; path: string } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const parts: string[] = [];
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) if (modules.get(y, x)) parts.push(`M${x} ${y}h1v1h-1z`);
  }
  return { size: modules.size, path: parts.join('') };
}

import { existsSync } from 'node:fs';
import { getEnv } from './env.server';

/** The CJK font PDFs are drawn with (PDF_FONT_PATH), or null when it is not on this machine (a 503). */
export function pdfFontPath(): string | null {
  const path = getEnv().PDF_FONT_PATH;
  return existsSync(path) ? path : null;
}

export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh';

/** BCP 47 tags for Intl: zh is shown as Simplified Chinese of mainland China. */
export const INTL_LOCALE: Record<Language, string> = { zh: 'zh-CN', en: 'en-US' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Text a person entered in both languages; Chinese is always there, English may be missing. */
export interface LocalizedText {
  zh: string;
  en?: string | null;
}

export function pickText(text: LocalizedText | undefined | null, language: Language): string {
  if (!text) return '';
  return (language === 'en' && text.en) || text.zh;
}

import { useTranslation } from 'react-i18next';
import type { Language } from '~/core/locales';
import { ReadAloudButton } from './read-aloud';

/**
 * What a public proposal or project page offers for residents away from a screen (issue 18):
 * "朗读" and "打印告示" (the server's A4 notice as a PDF, for a community board).
 */
export function NoticeTools({ pdfHref, language }: { pdfHref: string; language: Language }) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-wrap gap-3 print:hidden">
      <ReadAloudButton language={language} />
      <a href={pdfHref} className="btn-secondary" data-testid="print-notice">
        {t('notice.print')}
      </a>
    </div>
  );
}

/** Shown only on paper (print CSS): the QR code of the page and its short address. */
export function PrintOnlyAddress({ qrSrc, shortUrl }: { qrSrc: string; shortUrl: string }) {
  const { t } = useTranslation();
  return (
    <div data-print-only className="hidden items-center gap-6 border-t-2 border-stone-800 pt-4 print:flex">
      <img src={qrSrc} alt="" width={160} height={160} />
      <p className="text-xl">
        {t('notice.scan')}
        <br />
        <span className="font-mono text-2xl font-bold">{shortUrl.replace(/^https?:\/\//, '')}</span>
      </p>
    </div>
  );
}

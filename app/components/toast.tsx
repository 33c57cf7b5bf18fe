import { useTranslation } from 'react-i18next';
import type { Toast } from '~/core/toast';

const STYLES: Record<Toast['type'], string> = {
  success: 'border-brand-600 bg-brand-50 text-brand-800',
  error: 'border-red-600 bg-red-50 text-red-800',
  info: 'border-stone-400 bg-white text-stone-800',
};

export function ToastMessage({ toast }: { toast: Toast }) {
  const { t } = useTranslation();
  return (
    <div
      role="status"
      className={`fixed inset-x-4 bottom-4 z-50 mx-auto max-w-md rounded-lg border-l-4 p-4 shadow-lg ${STYLES[toast.type]}`}
    >
      {t(toast.key, toast.values)}
    </div>
  );
}

import { Form } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

/**
 * The header's "大字" switch (issue 18): a form POST to /text-size, so it works without
 * JavaScript; the choice lives in a cookie and the root renders `<html class="text-large">`
 * from it (docs/decisions/033). Pressed state is announced with aria-pressed.
 */
export function TextSizeSwitch({ large, redirectTo }: { large: boolean; redirectTo: string }) {
  const { t } = useTranslation();
  return (
    <Form method="post" action="/text-size" className="flex print:hidden">
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <button
        type="submit"
        name="size"
        value={large ? 'normal' : 'large'}
        aria-pressed={large}
        title={t(large ? 'textSize.turnOff' : 'textSize.turnOn')}
        className={`min-h-11 min-w-11 rounded-lg border px-2 text-sm whitespace-nowrap ${large ? 'border-brand-700 bg-brand-700 text-white' : 'border-stone-300 bg-white text-stone-700'}`}
        data-testid="text-size-switch"
      >
        {t('textSize.label')}
      </button>
    </Form>
  );
}

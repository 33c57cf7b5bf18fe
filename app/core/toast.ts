/** A one-time message shown after a redirect; `key` is an i18n key in the "common" namespace. */
export interface Toast {
  type: 'success' | 'error' | 'info';
  key: string;
  values?: Record<string, string | number>;
}

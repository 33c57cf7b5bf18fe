import type { MetaFunction } from '@remix-run/node';

/** meta for routes whose loader returns a translated `title`. */
export const titleMeta: MetaFunction = ({ data }) => {
  const title = (data as { title?: string } | undefined)?.title;
  return [{ title: title ?? '崂善行 Laoshanxing' }];
};

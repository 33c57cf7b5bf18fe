/** The short address printed on a proposal's notice (issue 18): /p/<slug>/<number>. */
export function proposalShortPath(slug: string, number: number): string {
  return `/p/${encodeURIComponent(slug)}/${number}`;
}

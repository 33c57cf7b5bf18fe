/** The short address printed on a project's notice (issue 18): /x/<slug>/<number> (项目, xiangmu). */
export function projectShortPath(slug: string, number: number): string {
  return `/x/${encodeURIComponent(slug)}/${number}`;
}

/**
 * Search that works for Chinese without a word segmenter (MongoDB's $text cannot segment
 * Chinese, and the stand-in has no $text at all): text is indexed as character unigrams and
 * bigrams for CJK runs and as whole lower-cased words for Latin letters and digits. A query
 * matches when all its terms are present; a substring check on the normalised text then
 * removes bigram coincidences.
 */
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;

export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function runs(text: string): { cjk: boolean; value: string }[] {
  const out: { cjk: boolean; value: string }[] = [];
  let current = '';
  let currentCjk = false;
  for (const char of normalizeText(text)) {
    const isCjk = CJK.test(char);
    const isWord = /[\p{L}\p{N}]/u.test(char);
    if (!isCjk && !isWord) {
      if (current) out.push({ cjk: currentCjk, value: current });
      current = '';
      continue;
    }
    if (current && isCjk !== currentCjk) {
      out.push({ cjk: currentCjk, value: current });
      current = '';
    }
    currentCjk = isCjk;
    current += char;
  }
  if (current) out.push({ cjk: currentCjk, value: current });
  return out;
}

/** Terms stored for a document: CJK unigrams and bigrams, Latin/digit words. */
export function indexTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const run of runs(text)) {
    if (!run.cjk) {
      terms.add(run.value);
      continue;
    }
    const chars = [...run.value];
    chars.forEach((char, i) => {
      terms.add(char);
      if (i + 1 < chars.length) terms.add(char + chars[i + 1]);
    });
  }
  return [...terms];
}

/** Terms a query needs: bigrams of CJK runs (a unigram for a single character), Latin words as prefixes. */
export function queryTerms(query: string): { exact: string[]; prefixes: string[] } {
  const exact = new Set<string>();
  const prefixes = new Set<string>();
  for (const run of runs(query)) {
    if (!run.cjk) {
      prefixes.add(run.value);
      continue;
    }
    const chars = [...run.value];
    if (chars.length === 1) exact.add(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) exact.add(chars[i]! + chars[i + 1]!);
  }
  return { exact: [...exact], prefixes: [...prefixes] };
}

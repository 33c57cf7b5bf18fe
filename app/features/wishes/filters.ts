import type { FilterGroup } from '~/components/filter-select';
import { pickText, type Language, type LocalizedText } from '~/core/locales';

type Street = { name: LocalizedText; communities: readonly { code: string; name: LocalizedText }[] };

/** The communities a wish list filters by (their codes), each street's under its name. */
export function communityGroups(streets: readonly Street[], language: Language): FilterGroup[] {
  return streets.map((street) => ({ label: pickText(street.name, language), options: street.communities.map((c) => ({ value: c.code, label: pickText(c.name, language) })) }));
}

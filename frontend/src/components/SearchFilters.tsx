import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";

import { FILTER_GROUPS } from "../lib/vocabulary";

interface Props {
  params: URLSearchParams;
  facets: Record<string, Record<string, number>> | null | undefined;
  onToggle: (name: string, value: string) => void;
}

/**
 * The standard's vocabularies as checkboxes, each with how many of the current results offer it (facets). Values
 * of one field add up (any of them), fields narrow down (all of them), as in the API. In a field where nothing is
 * checked yet, values that no result offers are left out; once one is checked, all stay without counts, as
 * checking another widens the results.
 */
export function SearchFilters({ params, facets, onToggle }: Props) {
  return (
    <>
      {FILTER_GROUPS.map((group) => {
        const checked = new Set(params.getAll(group.name));
        const counts = facets?.[group.name] ?? {};
        const values = group.values.filter(
          (value) => !facets || checked.size > 0 || (counts[value] ?? 0) > 0,
        );
        if (values.length === 0) return null;
        return (
          <Checkbox
            key={group.name}
            legend={group.legend}
            small
            options={values.map((value) => ({
              label: (
                <>
                  {value}
                  {facets && checked.size === 0 && (
                    <span className="fne-facet-count">&nbsp;({counts[value] ?? 0})</span>
                  )}
                </>
              ),
              nativeInputProps: {
                name: group.name,
                value,
                checked: checked.has(value),
                onChange: () => onToggle(group.name, value),
              },
            }))}
          />
        );
      })}
    </>
  );
}

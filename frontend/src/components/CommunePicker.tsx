import type { Commune } from "../api/types";
import { communesMatching, normalise } from "../lib/communes";
import { PickerInput, type PickerProps } from "./PickerInput";

interface Props extends Omit<PickerProps, "value" | "shown"> {
  /** The INSEE code kept. */
  code: string;
  /** That commune's name, when known (the API's `commune_nom`). */
  name?: string | null;
}

function described(commune: Commune): string {
  return `${commune.nom} (${commune.codes_postaux[0] ?? commune.departement_code})`;
}

/** One exact name or code among the candidates is taken without asking. */
function evident(found: Commune[], text: string): Commune | undefined {
  const wanted = normalise(text);
  const exact = found.filter((item) => normalise(item.nom) === wanted || item.code === text.trim());
  return exact.length === 1 && found.length === 1 ? exact[0] : undefined;
}

/**
 * A commune chosen by its name, kept by its INSEE code: suggestions from the directory's communes as one
 * types, the platform's département first (the place form's and the search's `communesMatching`).
 */
export function CommunePicker({ code, name, ...props }: Props) {
  return (
    <PickerInput<Commune>
      {...props}
      value={code}
      shown={name}
      find={(text) => communesMatching(text)}
      keyOf={(commune) => commune.code}
      nameOf={(commune) => commune.nom}
      describe={described}
      evident={evident}
      chosenHint={(shown, value) => `Commune choisie : ${shown} (code INSEE ${value})`}
      nothing={(text) => `Aucune commune ne correspond à « ${text} ».`}
    />
  );
}

import { api, unwrap } from "../api/client";
import type { SearchResults } from "../api/types";
import { PickerInput, type PickerProps } from "./PickerInput";

type Found = SearchResults["items"][number];

interface Props extends Omit<PickerProps, "value" | "shown"> {
  /** The directory's identifier of the place kept. */
  placeId: string;
  /** Its name, when known. */
  name?: string | null;
}

async function placesMatching(text: string): Promise<Found[]> {
  const page = await unwrap(api.GET("/api/directory/lieux", { params: { query: { q: text, size: 6 } } }));
  return page.items;
}

/** A place of the directory chosen by its name (and commune), kept by its identifier. */
export function PlacePicker({ placeId, name, ...props }: Props) {
  return (
    <PickerInput<Found>
      {...props}
      value={placeId}
      shown={name}
      find={placesMatching}
      keyOf={(place) => place.id}
      nameOf={(place) => place.nom}
      describe={(place) => `${place.nom}, ${place.commune}`}
      chosenHint={(shown) => `Lieu choisi : ${shown}`}
      nothing={(text) => `Aucun lieu de l'annuaire ne correspond à « ${text} ».`}
    />
  );
}

/** The search results on a map: every matching place (not one page), read from the GeoJSON export. */
import { useCallback } from "react";

import { api, unwrap } from "../api/client";
import type { ApiQuery } from "../lib/placeSearch";
import { plural } from "../lib/format";
import { useResource } from "../lib/useResource";
import { Loading } from "./Loading";
import PlacesMap, { type MapPlace } from "./PlacesMap";
import { ProblemAlert } from "./ProblemAlert";

interface Feature {
  properties: {
    id: string;
    nom: string;
    adresse: string;
    commune: string;
    latitude: number;
    longitude: number;
  };
}

export async function placesOnMap(query: ApiQuery, signal?: AbortSignal): Promise<MapPlace[]> {
  const collection = await unwrap(
    api.GET("/api/directory/exports/lieux.geojson", {
      params: { query: query as never },
      parseAs: "json",
      signal,
    }),
  );
  return ((collection as { features: Feature[] }).features ?? []).map(({ properties }) => properties);
}

export default function PlacesMapPanel({ filters, linkTarget }: { filters: ApiQuery; linkTarget?: string }) {
  const key = JSON.stringify(filters);
  const places = useResource(key, (signal) => placesOnMap(filters, signal));
  const placeHref = useCallback((id: string) => `/lieux/${id}`, []);
  if (places.problem)
    return (
      <ProblemAlert problem={places.problem} unavailable="La recherche de lieux" onRetry={places.reload} />
    );
  if (!places.data) return <Loading label="Chargement de la carte…" />;
  return (
    <>
      <PlacesMap
        places={places.data}
        placeHref={placeHref}
        linkTarget={linkTarget}
        label={`Carte : ${plural(places.data.length, "lieu", "lieux")}. La même liste est disponible en affichage « Liste ».`}
      />
      <p className="fr-text--xs fr-mt-1w">
        {plural(places.data.length, "lieu")} sur la carte. Touches : flèches pour se déplacer, + et − pour
        zoomer, Tabulation pour passer d'un lieu à l'autre.
      </p>
    </>
  );
}

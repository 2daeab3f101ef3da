/**
 * The embeddable directory (inside another site's iframe, see public/widget.js): the places of one territory,
 * with a text search and "open now", links opening the full place page in a new tab. No header or footer.
 */
import { Input } from "@codegouvfr/react-dsfr/Input";
import { ToggleSwitch } from "@codegouvfr/react-dsfr/ToggleSwitch";
import { lazy, Suspense, useEffect, useState } from "react";
import { useSearchParams } from "react-router";

import { api, unwrap } from "../api/client";
import { Loading } from "../components/Loading";
import { PlaceCard } from "../components/PlaceCard";
import { ProblemAlert } from "../components/ProblemAlert";
import { plural } from "../lib/format";
import { toQueryString } from "../lib/placeSearch";
import { usePageTitle } from "../lib/usePageTitle";
import { useResource } from "../lib/useResource";

const PlacesMapPanel = lazy(() => import("../components/PlacesMapPanel"));
const WIDGET_PAGE_SIZE = 50;

/** Tells the embedding page how tall the content is, so the iframe never shows a second scrollbar. */
function useReportHeight() {
  useEffect(() => {
    if (window.parent === window) return;
    const report = () =>
      window.parent.postMessage(
        { type: "fne-widget-height", height: document.documentElement.scrollHeight },
        "*",
      );
    const observer = new ResizeObserver(report);
    observer.observe(document.body);
    report();
    return () => observer.disconnect();
  }, []);
}

export default function WidgetPage() {
  const [params] = useSearchParams();
  const title = params.get("titre") ?? "Lieux d'aide au numérique";
  usePageTitle(title);
  useReportHeight();
  const [text, setText] = useState("");
  const [search, setSearch] = useState("");
  const [openNow, setOpenNow] = useState(false);
  const territory = { code_insee: params.getAll("code_insee"), epci: params.getAll("epci") };
  const filters = {
    ...(territory.code_insee.length ? { code_insee: territory.code_insee } : {}),
    ...(territory.epci.length ? { epci: territory.epci } : {}),
    ...(search ? { q: search } : {}),
    ...(openNow ? { ouvert: "true" } : {}),
  };
  const places = useResource(toQueryString(filters), (signal) =>
    unwrap(
      api.GET("/api/directory/lieux", {
        params: { query: { ...filters, tri: "nom", size: WIDGET_PAGE_SIZE } as never },
        signal,
      }),
    ),
  );

  return (
    <main className="fne-widget" id="contenu">
      <h1 className="fr-h4">{title}</h1>
      <form
        role="search"
        aria-label="Rechercher dans ces lieux"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch(text.trim());
        }}
      >
        <Input
          label="Rechercher un lieu ou un besoin"
          nativeInputProps={{ type: "search", value: text, onChange: (event) => setText(event.target.value) }}
          addon={
            <button type="submit" className="fr-btn">
              Rechercher
            </button>
          }
        />
        <ToggleSwitch
          label="Ouvert maintenant"
          checked={openNow}
          onChange={setOpenNow}
          showCheckedHint={false}
          labelPosition="right"
        />
      </form>
      <p role="status" aria-live="polite">
        {places.data ? plural(places.data.total, "lieu", "lieux") : ""}
      </p>
      <ProblemAlert problem={places.problem} unavailable="La recherche de lieux" onRetry={places.reload} />
      {places.loading && !places.data && <Loading />}
      {params.get("carte") === "oui" && (
        <Suspense fallback={<Loading label="Chargement de la carte…" />}>
          <PlacesMapPanel filters={filters} linkTarget="_blank" />
        </Suspense>
      )}
      {places.data && (
        <ul className="fne-place-list">
          {places.data.items.map((place) => (
            <li key={place.id}>
              <PlaceCard place={place} headingLevel={2} linkTarget="_blank" />
            </li>
          ))}
        </ul>
      )}
      {places.data && places.data.total > places.data.items.length && (
        <p>
          <a href={`/?${toQueryString(filters)}`} target="_blank" rel="noopener">
            Voir les {places.data.total} lieux sur FNE Savoie (nouvel onglet)
          </a>
        </p>
      )}
      <p className="fr-text--xs">
        Annuaire publié par{" "}
        <a href="/" target="_blank" rel="noopener">
          FNE Savoie
        </a>{" "}
        — données ouvertes.
      </p>
    </main>
  );
}

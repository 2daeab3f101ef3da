import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { SegmentedControl } from "@codegouvfr/react-dsfr/SegmentedControl";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Tag } from "@codegouvfr/react-dsfr/Tag";
import { ToggleSwitch } from "@codegouvfr/react-dsfr/ToggleSwitch";
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";

import type { SearchResults } from "../api/types";
import { Loading } from "../components/Loading";
import { type ChosenLocation, LocationPicker, type LocationPickerHandle } from "../components/LocationPicker";
import { PlaceCard } from "../components/PlaceCard";
import { ProblemAlert } from "../components/ProblemAlert";
import { SearchFilters } from "../components/SearchFilters";
import { searchPlaces, takeFirstSearch, takeFirstSearchData } from "../lib/firstSearch";
import { plural } from "../lib/format";
import {
  PAGE_SIZE,
  PLACE_LABEL,
  activeFilters,
  apiQuery,
  currentPage,
  toQueryString,
  toggleValue,
  withChange,
} from "../lib/placeSearch";
import { FollowSearch } from "./freshness/FollowSearch";
import { useMediaQuery, WIDE_SCREEN } from "../lib/useMediaQuery";
import { usePageTitle } from "../lib/usePageTitle";
import { useResource } from "../lib/useResource";
import { SORT_LABELS } from "../lib/vocabulary";

const PlacesMapPanel = lazy(() => import("../components/PlacesMapPanel"));
const PlacesMap = lazy(() => import("../components/PlacesMap"));
const RADII = ["5", "10", "20", "50"];
const filtersModal = createModal({ id: "filtres", isOpenedByDefault: false });

/**
 * The resident's screen, phone first: the form, then the results at once; the filters wait in a drawer (a DSFR
 * modal) and show as removable tags. After a search or "Autour de moi", the focus moves to the results, whose
 * count is also announced (aria-live), so that nothing happens out of sight. On a wide screen (≥ 992 px) the
 * list and a map of the same page of results sit side by side, numbered alike, and follow each other: hovering
 * or focusing a card marks its marker, and the reverse. On a phone, « Liste / Carte » switches between them. The
 * list is complete without the map.
 */
export default function SearchPage() {
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get("q") ?? "");
  const picker = useRef<LocationPickerHandle>(null);
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const [focusWanted, setFocusWanted] = useState(false);
  const query = apiQuery(params);
  const key = toQueryString(query);
  const page = currentPage(params);
  const view = params.get("vue") === "carte" ? "carte" : "liste";
  const wide = useMediaQuery(WIDE_SCREEN);
  const [highlighted, setHighlighted] = useState<string | null>(null);
  // The drawer's ~60 checkboxes are built when it is first opened, not with the page: on a slowed phone they
  // were a good part of the work done before the results showed (bench/webapp_trace.mjs, docs/benchmarks.md).
  const [filtersOpened, setFiltersOpened] = useState(false);
  const placeHref = useCallback((id: string) => `/lieux/${id}`, []);
  const near = params.get(PLACE_LABEL);
  usePageTitle(params.get("q") ? `Recherche « ${params.get("q")} »` : "Trouver un lieu d'aide au numérique");

  // The first search may have been asked before the app rendered (main.tsx, lib/firstSearch): its answer is
  // shown by the first render when it has arrived, awaited when it has not, never asked twice.
  const [firstAnswer] = useState(() => takeFirstSearchData(key));
  const results = useResource<SearchResults>(
    key,
    (signal) => takeFirstSearch(key) ?? searchPlaces(query, signal),
    firstAnswer,
  );

  // Once the answer to the search just made has arrived (or at once when nothing changed), focus the results.
  useEffect(() => {
    if (!focusWanted || results.loading || results.loadedKey !== key) return;
    setFocusWanted(false);
    resultsHeading.current?.focus();
  }, [focusWanted, results.loading, results.loadedKey, key]);

  const update = (change: (next: URLSearchParams) => void) =>
    setParams((previous) => withChange(previous, change));

  const chooseLocation = (location: ChosenLocation | null) =>
    update((next) => {
      for (const name of ["lat", "lon", PLACE_LABEL, "tri"]) next.delete(name);
      if (location) {
        next.set("lat", location.lat.toFixed(5));
        next.set("lon", location.lon.toFixed(5));
        next.set(PLACE_LABEL, location.label);
        if (!next.get("rayon_km")) next.set("rayon_km", "10");
      } else {
        next.delete("rayon_km");
      }
    });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    update((next) => (text.trim() ? next.set("q", text.trim()) : next.delete("q")));
    const settled = (await picker.current?.resolve()) ?? true;
    // Several communes match: the person chooses first, the focus stays with the choice.
    if (settled) setFocusWanted(true);
  };

  const data = results.data;
  const pageCount = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const { page: _page, ...filtersOnly } = query;
  const exportQuery = toQueryString(filtersOnly);
  const active = activeFilters(params);
  const count = data
    ? `${plural(data.total, "lieu trouvé", "lieux trouvés")}${near ? ` près de ${near}` : ""}`
    : "";
  const clearFilters = () =>
    update((next) => {
      for (const filter of active) next.delete(filter.name);
    });

  const list = data && (
    <>
      {data.items.length === 0 ? (
        <p>Aucun lieu ne correspond. Retirez un filtre ou élargissez la distance.</p>
      ) : (
        <ul className="fne-place-list" aria-busy={results.loading}>
          {data.items.map((place, index) => (
            <li
              key={place.id}
              className={wide && highlighted === place.id ? "fne-place-list__item--active" : undefined}
              onMouseEnter={wide ? () => setHighlighted(place.id) : undefined}
              onMouseLeave={wide ? () => setHighlighted(null) : undefined}
              onFocus={wide ? () => setHighlighted(place.id) : undefined}
              onBlur={wide ? () => setHighlighted(null) : undefined}
            >
              <PlaceCard place={place} number={wide ? index + 1 : undefined} />
            </li>
          ))}
        </ul>
      )}
      {pageCount > 1 && (
        <Pagination
          count={pageCount}
          defaultPage={page}
          showFirstLast
          getPageLinkProps={(number) => {
            const next = new URLSearchParams(params);
            next.set("page", String(number));
            return { to: `?${next.toString()}` };
          }}
        />
      )}
    </>
  );

  return (
    <>
      <h1>Trouver un lieu d'aide au numérique</h1>
      <p className="fr-text--lead fne-hide-phone">
        Démarches en ligne, usage d'un ordinateur ou d'un téléphone, accès à Internet : les lieux de Savoie où
        l'on vous aide, souvent gratuitement.
      </p>

      <form
        role="search"
        aria-label="Rechercher un lieu"
        onSubmit={(event) => void submit(event)}
        className="fr-mb-3w"
      >
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Que cherchez-vous ?"
              hintText="Un lieu, un besoin : « France Services », « démarches »…"
              nativeInputProps={{
                type: "search",
                name: "q",
                value: text,
                onChange: (event) => setText(event.target.value),
              }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <LocationPicker
              ref={picker}
              current={near}
              onChoose={chooseLocation}
              onLocated={() => setFocusWanted(true)}
            />
          </div>
        </div>
        <Button type="submit" iconId="fr-icon-search-line">
          Rechercher
        </Button>
      </form>

      <div className="fne-filter-bar fr-mb-2w">
        <Button
          priority="secondary"
          iconId="fr-icon-filter-line"
          nativeButtonProps={{ ...filtersModal.buttonProps, onClick: () => setFiltersOpened(true) }}
        >
          {active.length > 0 ? `Filtres (${active.length})` : "Filtres"}
        </Button>
        {active.length > 0 && (
          <ul className="fr-tags-group fr-mb-0" aria-label="Filtres actifs">
            {active.map((filter) => (
              <li key={`${filter.name}=${filter.value}`}>
                <Tag
                  small
                  dismissible
                  nativeButtonProps={{
                    "aria-label": `Retirer le filtre ${filter.label}`,
                    onClick: () => setParams((previous) => toggleValue(previous, filter.name, filter.value)),
                  }}
                >
                  {filter.label}
                </Tag>
              </li>
            ))}
          </ul>
        )}
        {active.length > 1 && (
          <Button priority="tertiary no outline" size="small" onClick={clearFilters}>
            Retirer tous les filtres
          </Button>
        )}
      </div>

      <section aria-labelledby="resultats-titre">
        <h2 id="resultats-titre" ref={resultsHeading} tabIndex={-1} className="fr-h4 fne-results-heading">
          {data ? count : "Résultats"}
        </h2>
        <p role="status" aria-live="polite" aria-atomic="true" className="fr-sr-only">
          {results.loading && !data ? "Recherche en cours…" : count}
        </p>
        <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div className="fr-col-12 fr-col-sm-6 fr-col-md-4">
            <Select
              label="Trier par"
              nativeSelectProps={{
                value: params.get("tri") ?? (near ? "distance" : "pertinence"),
                onChange: (event) => update((next) => next.set("tri", event.target.value)),
              }}
            >
              {Object.entries(SORT_LABELS)
                .filter(([value]) => value !== "distance" || near)
                .map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
            </Select>
          </div>
          {!wide && (
            <div className="fr-col-12 fr-col-sm-6 fr-col-md-4 fne-view-switch">
              <SegmentedControl
                small
                legend="Affichage"
                segments={[
                  {
                    label: "Liste",
                    iconId: "fr-icon-list-unordered",
                    nativeInputProps: {
                      checked: view === "liste",
                      onChange: () =>
                        setParams((previous) => {
                          const next = new URLSearchParams(previous);
                          next.delete("vue");
                          return next;
                        }),
                    },
                  },
                  {
                    label: "Carte",
                    iconId: "fr-icon-map-pin-2-line",
                    nativeInputProps: {
                      checked: view === "carte",
                      onChange: () =>
                        setParams((previous) => {
                          const next = new URLSearchParams(previous);
                          next.set("vue", "carte");
                          return next;
                        }),
                    },
                  },
                ]}
              />
            </div>
          )}
        </div>

        <ProblemAlert
          problem={results.problem}
          unavailable="La recherche de lieux"
          onRetry={results.reload}
        />

        {wide ? (
          <div className="fne-results-split">
            <div className="fne-results-split__list">{list}</div>
            {data && data.items.length > 0 && (
              <div className="fne-results-split__map">
                <Suspense fallback={<Loading label="Chargement de la carte…" />}>
                  <PlacesMap
                    places={data.items}
                    placeHref={placeHref}
                    cluster={false}
                    highlighted={highlighted}
                    onHighlight={setHighlighted}
                    label={`Carte des ${plural(data.items.length, "lieu", "lieux")} de cette page, numérotés comme dans la liste`}
                  />
                </Suspense>
                <p className="fr-text--xs fr-mt-1w fr-mb-0">
                  Les numéros de la carte sont ceux de la liste. Touches : flèches pour se déplacer, + et −
                  pour zoomer, Tabulation pour passer d'un lieu à l'autre.
                </p>
              </div>
            )}
          </div>
        ) : view === "carte" ? (
          <Suspense fallback={<Loading label="Chargement de la carte…" />}>
            <PlacesMapPanel filters={filtersOnly} />
          </Suspense>
        ) : (
          list
        )}

        <h3 className="fr-h6 fr-mt-4w">Télécharger ces lieux (données ouvertes)</h3>
        <ul className="fr-links-group">
          <li>
            <a
              className="fr-link fr-link--download"
              href={`/api/directory/exports/lieux.csv?${exportQuery}`}
              download
            >
              Tableur CSV <span className="fr-link__detail">format du standard national</span>
            </a>
          </li>
          <li>
            <a
              className="fr-link fr-link--download"
              href={`/api/directory/exports/lieux.geojson?${exportQuery}`}
              download
            >
              GeoJSON <span className="fr-link__detail">pour les logiciels de cartographie</span>
            </a>
          </li>
        </ul>
        <FollowSearch
          key={exportQuery}
          query={exportQuery}
          label={[params.get("q"), near].filter(Boolean).join(", ") || "Lieux d'aide au numérique"}
        />
      </section>

      <filtersModal.Component
        title="Filtrer les lieux"
        size="large"
        buttons={[
          {
            children: data ? `Voir ${plural(data.total, "lieu", "lieux")}` : "Voir les lieux",
            onClick: () => setFocusWanted(true),
          },
        ]}
      >
        <p role="status" aria-live="polite" className="fr-text--sm">
          {results.loading ? "Mise à jour…" : count}
        </p>
        {filtersOpened && (
          <>
            <ToggleSwitch
              label="Ouvert maintenant"
              checked={params.get("ouvert") === "true"}
              onChange={(checked) =>
                update((next) => (checked ? next.set("ouvert", "true") : next.delete("ouvert")))
              }
              showCheckedHint={false}
              labelPosition="right"
              className="fr-mb-3w"
            />
            {near && (
              <Select
                label={`Distance autour de ${near}`}
                nativeSelectProps={{
                  value: params.get("rayon_km") ?? "",
                  onChange: (event) =>
                    update((next) =>
                      event.target.value ? next.set("rayon_km", event.target.value) : next.delete("rayon_km"),
                    ),
                }}
              >
                {RADII.map((radius) => (
                  <option key={radius} value={radius}>
                    {radius} km
                  </option>
                ))}
                <option value="">Sans limite</option>
              </Select>
            )}
            <SearchFilters
              params={params}
              facets={data?.facets}
              onToggle={(name, value) => setParams((previous) => toggleValue(previous, name, value))}
            />
          </>
        )}
      </filtersModal.Component>
    </>
  );
}

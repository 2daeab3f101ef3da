import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { lazy, Suspense, useMemo } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { DataTable } from "../../components/DataTable";
import { type ChoroplethFeature, classColour } from "../../lib/choropleth";
import {
  FOLLOWED_DEPARTMENT,
  LEVEL_LABELS,
  MAP_LEVELS,
  profilePath,
  shownValue,
  valueFormatter,
} from "../../lib/indicators";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";
import { IndicatorEvolution } from "./IndicatorEvolution";

const ChoroplethMap = lazy(() => import("../../components/ChoroplethMap"));
const CLASSES = 5;

interface MapDocument {
  features: ChoroplethFeature[];
  /** `libelles`: what each class holds, in words (« 0 » and « 1 » for yes/no, « plus de 20 à 30 min »…). */
  classes: { bornes: number[]; minimum: number | null; effectifs: number[]; libelles?: string[] };
}

type ValuesQuery = { niveau: "commune"; dans: string; periode?: string };

/** Every value of the level (Savoie's 273 communes take two pages of the API): the table sorts and pages them. */
async function allValues(code: string, filters: ValuesQuery, signal: AbortSignal) {
  const page = (number: number) =>
    unwrap(
      api.GET("/api/observatory/indicateurs/{code}/valeurs", {
        params: { path: { code }, query: { ...filters, size: 200, page: number } },
        signal,
      }),
    );
  const first = await page(1);
  const pageCount = Math.ceil(first.total / 200);
  const rest = await Promise.all(
    Array.from({ length: Math.max(0, pageCount - 1) }, (_, index) => page(index + 2)),
  );
  return { ...first, items: [...first.items, ...rest.flatMap((next) => next.items)] };
}

export default function IndicatorPage() {
  const { code = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const indicator = useResource(`indicator:${code}`, (signal) =>
    unwrap(api.GET("/api/observatory/indicateurs/{code}", { params: { path: { code } }, signal })),
  );
  const levels = (indicator.data?.niveaux ?? []).filter((level) => MAP_LEVELS.includes(level));
  const level = params.get("niveau") ?? levels[0] ?? null;
  const period = params.get("periode") ?? undefined;
  const followed = params.get("territoire") ?? FOLLOWED_DEPARTMENT;
  const navigate = useNavigate();
  const filters = {
    niveau: level as "commune",
    dans: FOLLOWED_DEPARTMENT,
    ...(period ? { periode: period } : {}),
  };
  const key = level ? `${code}:${level}:${period ?? ""}` : null;
  const values = useResource(key, (signal) => allValues(code, filters, signal));
  const map = useResource(
    key,
    async (signal) =>
      (await unwrap(
        api.GET("/api/observatory/indicateurs/{code}/carte", {
          params: { path: { code }, query: { ...filters, classes: CLASSES } },
          parseAs: "json",
          signal,
        }),
      )) as unknown as MapDocument,
  );
  const data = indicator.data;
  usePageTitle(data?.libelle ?? "Indicateur");
  const format = useMemo(() => valueFormatter(data?.unite ?? "nombre", data?.decimales ?? 1), [data]);

  if (indicator.problem)
    return (
      <ProblemAlert problem={indicator.problem} unavailable="L'observatoire" onRetry={indicator.reload} />
    );
  if (!data) return <Loading />;
  const shownPeriod = values.data?.periode ?? period;
  const exportQuery = new URLSearchParams({
    niveau: level ?? "",
    dans: FOLLOWED_DEPARTMENT,
    ...(shownPeriod ? { periode: shownPeriod } : {}),
  }).toString();
  const bounds = map.data?.classes.bornes ?? [];
  const change = (name: string, value: string) =>
    setParams((previous) => {
      const next = new URLSearchParams(previous);
      next.set(name, value);
      return next;
    });

  return (
    <>
      <Breadcrumb
        currentPageLabel={data.libelle}
        segments={[{ label: "Observatoire", linkProps: { to: "/observatoire" } }]}
      />
      <h1>{data.libelle}</h1>
      {data.description && <p className="fr-text--lead">{data.description}</p>}
      <div className="fr-grid-row fr-grid-row--gutters">
        {levels.length > 1 && (
          <div className="fr-col-12 fr-col-md-4">
            <Select
              label="Échelle"
              nativeSelectProps={{
                value: level ?? "",
                onChange: (event) => change("niveau", event.target.value),
              }}
            >
              {levels.map((value) => (
                <option key={value} value={value}>
                  {LEVEL_LABELS[value]}
                </option>
              ))}
            </Select>
          </div>
        )}
        {values.data && values.data.periodes.length > 0 && (
          <div className="fr-col-12 fr-col-md-4">
            <Select
              label="Période"
              nativeSelectProps={{
                value: shownPeriod ?? "",
                onChange: (event) => change("periode", event.target.value),
              }}
            >
              {values.data.periodes.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </Select>
          </div>
        )}
      </div>

      {!level && <p>Cet indicateur n'est pas publié à une échelle cartographiable.</p>}
      <ProblemAlert problem={values.problem ?? map.problem} />
      {map.data && (
        <section aria-labelledby="carte-titre">
          <h2 id="carte-titre" className="fr-h4">
            Carte {shownPeriod && `(${shownPeriod})`}
          </h2>
          <Suspense fallback={<Loading label="Chargement de la carte…" />}>
            <ChoroplethMap
              features={map.data.features}
              classes={bounds.length}
              format={format}
              label={`Carte de ${data.libelle} par ${LEVEL_LABELS[level ?? ""]?.toLowerCase()} ; les mêmes valeurs sont dans le tableau ci-dessous, chaque territoire y mène à son profil.`}
              onSelect={(territory) => navigate(profilePath(level ?? "commune", territory))}
            />
          </Suspense>
          {bounds.length > 0 && (
            <>
              <h3 className="fr-h6 fr-mt-2w">Légende</h3>
              <ul className="fne-legend">
                {bounds.map((upper, index) => (
                  <li key={upper}>
                    <span
                      className="fne-legend__swatch"
                      style={{ background: classColour(index + 1, bounds.length) }}
                      aria-hidden="true"
                    />
                    {map.data!.classes.libelles?.[index] ??
                      `${index === 0 ? `de ${format(map.data!.classes.minimum ?? upper)}` : `plus de ${format(bounds[index - 1])}`} à ${format(upper)}`}{" "}
                    ({map.data!.classes.effectifs[index]} territoire(s))
                  </li>
                ))}
                <li>
                  <span
                    className="fne-legend__swatch"
                    style={{ background: classColour(null, bounds.length) }}
                    aria-hidden="true"
                  />
                  pas de valeur, secret statistique ou données partielles
                </li>
              </ul>
            </>
          )}
        </section>
      )}

      {values.data && (
        <section aria-labelledby="valeurs-titre" className="fr-mt-4w">
          <h2 id="valeurs-titre" className="fr-h4">
            Les valeurs
          </h2>
          <ul className="fr-links-group">
            <li>
              <a
                className="fr-link fr-link--download"
                href={`/api/observatory/indicateurs/${code}/valeurs.csv?${exportQuery}`}
                download
              >
                Télécharger (CSV)
              </a>
            </li>
            <li>
              <a
                className="fr-link fr-link--download"
                href={`/api/observatory/indicateurs/${code}/valeurs.xlsx?${exportQuery}`}
                download
              >
                Télécharger (tableur XLSX)
              </a>
            </li>
          </ul>
          <DataTable
            caption={`${data.libelle}, ${LEVEL_LABELS[level ?? ""]?.toLowerCase()} de la Savoie${shownPeriod ? `, ${shownPeriod}` : ""}`}
            rows={values.data.items}
            rowKey={(value) => value.code}
            columns={[
              {
                label: "Territoire",
                rowHeader: true,
                sortValue: (value) => value.nom,
                render: (value) => <Link to={profilePath(value.niveau, value.code)}>{value.nom}</Link>,
              },
              { label: "Code", sortValue: (value) => value.code, render: (value) => value.code },
              {
                label: "Valeur",
                sortValue: (value) => value.valeur ?? null,
                render: (value) => shownValue(value, format),
              },
            ]}
          />
        </section>
      )}

      <IndicatorEvolution
        code={code}
        label={data.libelle}
        format={format}
        selected={followed}
        choices={[
          { niveau: "departement", code: FOLLOWED_DEPARTMENT.split(":")[1], nom: "Savoie" },
          ...(values.data?.items ?? []).map((value) => ({
            niveau: value.niveau,
            code: value.code,
            nom: value.nom,
          })),
        ]}
        onSelect={(territory) => change("territoire", territory)}
      />

      <section aria-labelledby="methode-titre" className="fr-mt-4w">
        <h2 id="methode-titre" className="fr-h4">
          Source et méthode
        </h2>
        <p>
          Source : {data.source} ({data.producteur}).
          {values.data?.sources.map((source) => (
            <span key={source.import_id}>
              {" "}
              Jeu « {source.titre} », millésime {source.millesime}.
            </span>
          ))}
        </p>
        {data.methode && <p style={{ whiteSpace: "pre-line" }}>{data.methode}</p>}
        {values.data?.population_millesime && <p>Populations : {values.data.population_millesime}.</p>}
      </section>
    </>
  );
}

/** A territory's profile: every indicator published for it, next to its department's and France's values. */
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Link, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatNumber } from "../../lib/format";
import { PROFILE_LEVELS, shownValue, valueFormatter } from "../../lib/indicators";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";

type Entry = components["schemas"]["ObservatoryProfileEntry"];

/** The profile's entries by theme, themes in the order the service sorts them. */
function byTheme(entries: Entry[]): [string, Entry[]][] {
  const themes = new Map<string, Entry[]>();
  for (const entry of entries) themes.set(entry.theme, [...(themes.get(entry.theme) ?? []), entry]);
  return [...themes];
}

export default function TerritoryPage() {
  const { niveau = "", code = "" } = useParams();
  const profile = useResource(`profile:${niveau}:${code}`, (signal) =>
    unwrap(
      api.GET("/api/observatory/territoires/{niveau}/{code}/profil", {
        params: { path: { niveau: niveau as "commune", code } },
        signal,
      }),
    ),
  );
  const data = profile.data;
  const name = typeof data?.territoire.nom === "string" ? data.territoire.nom : code;
  const levelLabel = PROFILE_LEVELS[niveau] ?? niveau;
  usePageTitle(data ? `${name} : profil du territoire` : "Profil du territoire");

  if (profile.problem)
    return <ProblemAlert problem={profile.problem} unavailable="L'observatoire" onRetry={profile.reload} />;
  if (!data) return <Loading />;
  const population = data.territoire.population;
  const hasDepartment = data.indicateurs.some((entry) => entry.departement);
  const departmentName =
    data.indicateurs.find((entry) => entry.departement)?.departement?.nom ?? "Département";

  return (
    <>
      <Breadcrumb
        currentPageLabel={name}
        segments={[{ label: "Observatoire", linkProps: { to: "/observatoire" } }]}
      />
      <h1>{name}</h1>
      <p className="fr-text--lead">
        {levelLabel} ({code}){typeof population === "number" && <>, {formatNumber(population)} habitants</>}.
        Chaque indicateur à sa dernière période publiée
        {hasDepartment ? `, comparé à ${departmentName} et à la France` : ", comparé à la France"}.
      </p>
      {data.indicateurs.length === 0 && <p>Aucun indicateur n'est encore publié pour ce territoire.</p>}
      {byTheme(data.indicateurs).map(([theme, entries], index) => (
        <section key={theme} aria-labelledby={`theme-${index}`}>
          <h2 id={`theme-${index}`} className="fr-h4">
            {theme}
          </h2>
          {/* The caption repeats the heading for screen readers; it is hidden on screen. */}
          <div className="fr-table fr-table--bordered fr-table--no-caption">
            <table>
              <caption>
                {theme} : {name}
                {hasDepartment ? `, ${departmentName}` : ""} et France
              </caption>
              <thead>
                <tr>
                  <th scope="col">Indicateur</th>
                  <th scope="col">Période</th>
                  <th scope="col">{name}</th>
                  {hasDepartment && <th scope="col">{departmentName}</th>}
                  <th scope="col">France</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => {
                  const format = valueFormatter(entry.unite, entry.decimales);
                  return (
                    <tr key={entry.indicateur}>
                      <th scope="row">
                        <Link
                          to={`/observatoire/indicateurs/${entry.indicateur}?territoire=${niveau}:${encodeURIComponent(code)}`}
                        >
                          {entry.libelle}
                        </Link>
                      </th>
                      <td>{entry.periode}</td>
                      <td>{shownValue(entry.territoire, format)}</td>
                      {hasDepartment && <td>{shownValue(entry.departement, format)}</td>}
                      <td>{shownValue(entry.france, format)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      {data.sources.length > 0 && (
        <section aria-labelledby="sources-titre">
          <h2 id="sources-titre" className="fr-h4">
            Sources
          </h2>
          <ul>
            {data.sources.map((source) => (
              <li key={source.import_id}>
                {source.titre} ({source.source}), millésime {source.millesime}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

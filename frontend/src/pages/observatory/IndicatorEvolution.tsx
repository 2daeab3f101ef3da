/** An indicator over time for one territory next to its department and France: a chart and the same table. */
import { Select } from "@codegouvfr/react-dsfr/Select";
import { lazy, Suspense } from "react";
import { Link } from "react-router";

import { api, unwrap } from "../../api/client";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { PROFILE_LEVELS, profilePath, shownValue } from "../../lib/indicators";
import { type Line, seriesRows } from "../../lib/series";
import { useResource } from "../../lib/useResource";

const SeriesChart = lazy(() => import("../../components/SeriesChart"));

export interface TerritoryChoice {
  niveau: string;
  code: string;
  nom: string;
}

interface Props {
  code: string;
  label: string;
  format: (value: number) => string;
  /** The territory followed, as `niveau:code`. */
  selected: string;
  /** Territories the reader may pick instead (the department first). */
  choices: TerritoryChoice[];
  onSelect: (territory: string) => void;
}

export function IndicatorEvolution({ code, label, format, selected, choices, onSelect }: Props) {
  const [level, territory] = selected.split(":");
  const series = useResource(`series:${code}:${selected}`, (signal) =>
    unwrap(
      api.GET("/api/observatory/indicateurs/{code}/series/{niveau}/{territoire}", {
        params: { path: { code, niveau: level as "commune", territoire: territory } },
        signal,
      }),
    ),
  );
  const data = series.data;
  const name =
    data?.territoire?.nom ??
    choices.find((choice) => `${choice.niveau}:${choice.code}` === selected)?.nom ??
    territory;
  const lines: Line[] = data
    ? [
        { label: name, points: data.points },
        ...(data.departement.length ? [{ label: data.departement[0].nom, points: data.departement }] : []),
        ...(data.france.length ? [{ label: "France", points: data.france }] : []),
      ]
    : [];
  const rows = seriesRows(lines);
  // A territory reached from elsewhere (its profile) stays in the list even when this scale does not show it.
  const options = choices.some((choice) => `${choice.niveau}:${choice.code}` === selected)
    ? choices
    : [...choices, { niveau: level, code: territory, nom: name }];
  const compared = lines.slice(1).map((line) => line.label);
  const description = `${label}, ${name}${compared.length ? ` comparée à ${compared.join(" et ")}` : ""}, par période`;

  return (
    <section aria-labelledby="evolution-titre" className="fr-mt-4w">
      <h2 id="evolution-titre" className="fr-h4">
        Évolution dans le temps
      </h2>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Select
            label="Territoire suivi"
            hint="Comparé à son département et à la France"
            nativeSelectProps={{ value: selected, onChange: (event) => onSelect(event.target.value) }}
          >
            {options.map((choice) => (
              <option key={`${choice.niveau}:${choice.code}`} value={`${choice.niveau}:${choice.code}`}>
                {choice.nom} ({PROFILE_LEVELS[choice.niveau]?.toLowerCase() ?? choice.niveau})
              </option>
            ))}
          </Select>
        </div>
      </div>
      <ProblemAlert problem={series.problem} unavailable="L'observatoire" onRetry={series.reload} />
      {series.loading && !data && <Loading label="Chargement de l'évolution…" />}
      {data && rows.length === 0 && <p>Pas encore de valeur publiée pour ce territoire.</p>}
      {data && rows.length > 0 && (
        <>
          <Suspense fallback={<Loading label="Chargement du graphique…" />}>
            <SeriesChart
              lines={lines}
              format={format}
              label={`Graphique : ${description}. Les mêmes valeurs sont dans le tableau qui suit.`}
            />
          </Suspense>
          <div className="fr-table fr-table--bordered">
            <table>
              <caption>{description}</caption>
              <thead>
                <tr>
                  <th scope="col">Période</th>
                  {lines.map((line) => (
                    <th scope="col" key={line.label}>
                      {line.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.periode}>
                    <th scope="row">{row.periode}</th>
                    {row.values.map((value, index) => (
                      <td key={lines[index].label}>{shownValue(value, format)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {level in PROFILE_LEVELS && (
            <p>
              <Link to={profilePath(level, territory)}>Tous les indicateurs de {name}</Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}

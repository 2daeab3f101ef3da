import { useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import type { CampaignResults, SurveyPhase } from "../../api/types";
import { type Column, DataTable } from "../../components/DataTable";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RequireScope } from "../../components/RequireScope";
import { formatNumber } from "../../lib/format";
import { PHASE_LABELS } from "../../lib/surveys";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";

type Dimension = CampaignResults["dimensions"][number];
const phaseLabel = (phase: string) => PHASE_LABELS[phase as SurveyPhase] ?? phase;
const signed = (value: number) => `${value > 0 ? "+" : ""}${formatNumber(value)}`;
/** What a withheld figure shows: too few people to publish it without singling someone out. */
export const WITHHELD = "secret";

/** The levels that occur in any distribution, in order: the columns of the distribution table. */
export function levelsOf(results: CampaignResults): string[] {
  const levels = new Set(results.dimensions.flatMap((row) => Object.keys(row.repartition ?? {})));
  return [...levels].sort((a, b) => Number(a) - Number(b));
}

function Results({ results }: { results: CampaignResults }) {
  const levels = levelsOf(results);
  return (
    <>
      <h2>Participation</h2>
      <p>
        {results.commencees} séance(s) commencée(s), {results.terminees} terminée(s)
        {results.taux_achevement !== null &&
          ` : ${formatNumber(results.taux_achevement * 100)} % de complétion`}
        .
      </p>
      <div className="fr-table">
        <table>
          <caption>Séances par moment</caption>
          <thead>
            <tr>
              <th scope="col">Moment</th>
              <th scope="col">Commencées</th>
              <th scope="col">Terminées</th>
            </tr>
          </thead>
          <tbody>
            {results.par_phase.map((row) => (
              <tr key={row.phase}>
                <th scope="row">{phaseLabel(row.phase)}</th>
                <td>{row.commencees}</td>
                <td>{row.terminees}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Scores par compétence</h2>
      <p>
        Un chiffre « {WITHHELD} » concerne moins de {results.seuil} personnes, ou se déduirait des autres
        campagnes : il n'est pas publié, pour que personne ne soit reconnaissable.
      </p>
      {results.dimensions.length === 0 ? (
        <p>Pas encore de séance terminée.</p>
      ) : (
        <DataTable
          caption="Score moyen (sur 100) et nombre de réponses par niveau"
          rows={results.dimensions}
          rowKey={(row) => `${row.referentiel}/${row.dimension}/${row.phase}`}
          columns={[
            {
              label: "Compétence",
              rowHeader: true,
              render: (row) => row.libelle,
              sortValue: (row) => row.libelle,
            },
            {
              label: "Moment",
              render: (row) => phaseLabel(row.phase),
              sortValue: (row) => phaseLabel(row.phase),
            },
            { label: "Réponses", render: (row) => row.n ?? WITHHELD, sortValue: (row) => row.n },
            {
              label: "Moyenne",
              render: (row) => (row.moyenne === null ? WITHHELD : formatNumber(row.moyenne)),
              sortValue: (row) => row.moyenne,
            },
            ...levels.map((level): Column<Dimension> => ({
              label: `Niveau ${level}`,
              render: (row) => (row.repartition ? (row.repartition[level] ?? 0) : WITHHELD),
              sortValue: (row) => (row.repartition ? (row.repartition[level] ?? 0) : null),
            })),
          ]}
        />
      )}
      <h2>Progression des personnes suivies</h2>
      {results.progression.length === 0 ? (
        <p>Aucune personne n'a encore terminé une séance de début et une de fin d'accompagnement.</p>
      ) : (
        <DataTable
          caption="Mêmes personnes au début et à la fin de l'accompagnement (scores sur 100)"
          rows={results.progression}
          rowKey={(row) => `${row.referentiel}/${row.dimension}`}
          columns={[
            {
              label: "Compétence",
              rowHeader: true,
              render: (row) => row.libelle,
              sortValue: (row) => row.libelle,
            },
            { label: "Personnes", render: (row) => row.paires ?? WITHHELD, sortValue: (row) => row.paires },
            {
              label: "Début",
              render: (row) => (row.moyenne_pre === null ? WITHHELD : formatNumber(row.moyenne_pre)),
              sortValue: (row) => row.moyenne_pre,
            },
            {
              label: "Fin",
              render: (row) => (row.moyenne_post === null ? WITHHELD : formatNumber(row.moyenne_post)),
              sortValue: (row) => row.moyenne_post,
            },
            {
              label: "Évolution",
              render: (row) => (row.ecart_moyen === null ? WITHHELD : `${signed(row.ecart_moyen)} points`),
              sortValue: (row) => row.ecart_moyen,
            },
          ]}
        />
      )}
    </>
  );
}

function ResultsScreen({ id }: { id: string }) {
  const found = useResource(id, async (signal) => {
    const path = { params: { path: { campaign_id: id } }, signal };
    const [campaign, results] = await Promise.all([
      unwrap(api.GET("/api/surveys/campagnes/{campaign_id}", path)),
      unwrap(api.GET("/api/surveys/campagnes/{campaign_id}/resultats", path)),
    ]);
    return { campaign, results };
  });
  usePageTitle(found.data ? `Résultats — ${found.data.campaign.nom}` : "Résultats de campagne");
  if (found.problem)
    return (
      <ProblemAlert
        problem={found.problem}
        unavailable="Le service des questionnaires"
        onRetry={found.reload}
      />
    );
  if (!found.data) return <Loading />;
  return (
    <>
      <h1>Résultats : {found.data.campaign.nom}</h1>
      <Results results={found.data.results} />
    </>
  );
}

/** A campaign's counts, completion, score distributions and paired progress, as tables. */
export default function CampaignResultsPage() {
  const { id = "" } = useParams();
  return (
    <RequireScope scope="surveys:read">
      <ResultsScreen id={id} />
    </RequireScope>
  );
}

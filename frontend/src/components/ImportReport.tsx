/** The observatory's validation report of a dataset file: what was read, and each error or warning by row and column. */
import { Alert } from "@codegouvfr/react-dsfr/Alert";

import { formatNumber } from "../lib/format";
import type { ImportReportData, IssueData } from "../lib/observatoryImport";

function IssueTable({ issues, caption, total }: { issues: IssueData[]; caption: string; total: number }) {
  if (issues.length === 0) return null;
  return (
    <>
      {/* The heading above names the table on screen; its caption names it for screen readers. */}
      <div className="fr-table fr-table--bordered fr-table--no-caption">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Ligne</th>
              <th scope="col">Colonne</th>
              <th scope="col">Valeur lue</th>
              <th scope="col">Problème</th>
            </tr>
          </thead>
          <tbody>
            {issues.map((issue, index) => (
              <tr key={index}>
                <td>{issue.ligne ?? "—"}</td>
                <td>{issue.colonne ?? "—"}</td>
                <td>{issue.valeur ?? "—"}</td>
                <td>{issue.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > issues.length && (
        <p>
          Les {issues.length} premiers sont listés, sur {total}.
        </p>
      )}
    </>
  );
}

const figure = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 3 });
const sum = (counts: Record<string, number>) =>
  Object.values(counts).reduce((total, count) => total + count, 0);

export function ImportReport({
  report,
  headingLevel = 2,
}: {
  report: ImportReportData;
  headingLevel?: 2 | 3;
}) {
  const Heading = `h${headingLevel}` as "h2";
  const Sub = `h${headingLevel + 1}` as "h3";
  const summary = report.resume;
  const errors = sum(summary.erreurs);
  const warnings = sum(summary.avertissements);
  return (
    <section aria-labelledby="rapport-titre" className="fr-mt-4w">
      <Heading id="rapport-titre" className="fr-h4">
        Rapport de validation{report.fichier.nom ? ` : ${report.fichier.nom}` : ""}
      </Heading>
      <div role="status" className="fr-mb-2w">
        {report.valide ? (
          <Alert
            severity={warnings ? "info" : "success"}
            small
            description={`Fichier valide : ${formatNumber(summary.observations)} valeur(s) lue(s) sur ${formatNumber(summary.lignes)} ligne(s)${warnings ? `, ${warnings} avertissement(s)` : ""}.`}
          />
        ) : (
          <Alert
            severity="error"
            small
            description={`Fichier refusé : ${errors} erreur(s) sur ${formatNumber(summary.lignes)} ligne(s). Rien n'est enregistré ; corrigez le fichier ou les colonnes choisies.`}
          />
        )}
      </div>
      <ul>
        <li>Périodes : {summary.periodes.join(", ") || "aucune"}</li>
        {summary.departements_couverts.length > 0 && (
          <li>Départements couverts : {summary.departements_couverts.join(", ")}</li>
        )}
        {summary.communes_manquantes > 0 && (
          <li>Communes de ces départements absentes du fichier : {summary.communes_manquantes}</li>
        )}
      </ul>
      <div className="fr-table fr-table--bordered">
        <table>
          <caption>Valeurs lues par indicateur</caption>
          <thead>
            <tr>
              <th scope="col">Indicateur</th>
              <th scope="col">Valeurs</th>
              <th scope="col">Minimum</th>
              <th scope="col">Maximum</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(summary.indicateurs).map(([code, stats]) => (
              <tr key={code}>
                <th scope="row">{code}</th>
                <td>{formatNumber(stats.valeurs)}</td>
                <td>{stats.minimum === undefined ? "—" : figure.format(stats.minimum)}</td>
                <td>{stats.maximum === undefined ? "—" : figure.format(stats.maximum)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {errors > 0 && <Sub className="fr-h6">Erreurs ({errors})</Sub>}
      <IssueTable issues={report.erreurs} caption="Erreurs, par ligne et colonne du fichier" total={errors} />
      {warnings > 0 && (
        <>
          <Sub className="fr-h6">Avertissements ({warnings})</Sub>
          {/* Often one per commune missing from the file: folded, so that the errors stay in sight. */}
          <details className="fr-mb-3w">
            <summary>Afficher les avertissements (les valeurs concernées sont importées quand même)</summary>
            <IssueTable
              issues={report.avertissements}
              caption="Avertissements, par ligne et colonne du fichier"
              total={warnings}
            />
          </details>
        </>
      )}
    </section>
  );
}

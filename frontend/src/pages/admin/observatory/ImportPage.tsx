/**
 * One version of an observatory dataset: what was imported, its validation report, publishing, withdrawing or
 * deleting it, and once published the values it gave, as the public reads them.
 */
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Link, useNavigate, useParams } from "react-router";

import { api, unwrap } from "../../../api/client";
import { ImportReport } from "../../../components/ImportReport";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { RequireScope } from "../../../components/RequireScope";
import { formatDateTime } from "../../../lib/format";
import { LEVEL_LABELS, shownValue, valueFormatter } from "../../../lib/indicators";
import type { ImportReportData } from "../../../lib/observatoryImport";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useSubmit } from "../../../lib/useSubmit";
import { IMPORT_STATUS, type ImportOut } from "./imports";
import { personName } from "../../../lib/people";

const VALUES_SHOWN = 200;
const VALUE_STATUS: Record<string, string> = { definitif: "définitive", provisoire: "provisoire" };

/** One indicator's values published by this version, for one period, read from the public API. */
function ImportedValues({
  code,
  level,
  period,
  parent,
  importId,
}: {
  code: string;
  level: string;
  period: string;
  parent?: string;
  importId: string;
}) {
  const values = useResource(`imported:${importId}:${code}:${period}`, (signal) =>
    unwrap(
      api.GET("/api/observatory/indicateurs/{code}/valeurs", {
        params: {
          path: { code },
          query: {
            niveau: level as "commune",
            periode: period,
            size: VALUES_SHOWN,
            ...(parent ? { dans: parent } : {}),
          },
        },
        signal,
      }),
    ),
  );
  if (values.problem)
    return (
      <ProblemAlert
        problem={values.problem}
        unavailable="La lecture des valeurs du jeu de données"
        onRetry={values.reload}
      />
    );
  if (!values.data) return <Loading />;
  const indicator = values.data.indicateur;
  const format = valueFormatter(indicator.unite, indicator.decimales);
  // Upper levels are computed from these values: the table shows the version's own rows only.
  const rows = values.data.items.filter((value) => value.import_id === importId);
  const mapQuery = new URLSearchParams({ niveau: level, periode: period }).toString();
  return (
    <>
      <h3 className="fr-h6">
        {indicator.libelle}, {period}
      </h3>
      <p>
        <Link to={`/observatoire/indicateurs/${code}?${mapQuery}`}>Voir sur la carte de l'observatoire</Link>
      </p>
      <div className="fr-table fr-table--bordered fr-table--no-caption">
        <table>
          <caption>
            {indicator.libelle} : valeurs publiées par cette version, {period}
          </caption>
          <thead>
            <tr>
              <th scope="col">Territoire</th>
              <th scope="col">Code</th>
              <th scope="col">Valeur</th>
              <th scope="col">Statut</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((value) => (
              <tr key={value.code}>
                <th scope="row">{value.nom}</th>
                <td>{value.code}</td>
                <td>{shownValue(value, format)}</td>
                <td>{VALUE_STATUS[value.statut] ?? value.statut}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {values.data.total > values.data.items.length && (
        <p>
          Les {VALUES_SHOWN} premiers territoires sur {values.data.total} : le fichier CSV de l'indicateur les
          donne tous.
        </p>
      )}
    </>
  );
}

function Import() {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const item = useResource(`observatory-import:${id}`, (signal) =>
    unwrap(api.GET("/api/observatory/imports/{import_id}", { params: { path: { import_id: id } }, signal })),
  );
  const action = useSubmit();
  const data = item.data;
  usePageTitle(data ? `${data.jeu}, version ${data.version}` : "Import de l'observatoire");
  if (item.problem)
    return <ProblemAlert problem={item.problem} unavailable="Le jeu de données" onRetry={item.reload} />;
  if (!data) return <Loading />;

  const report = data.rapport as unknown as ImportReportData;
  const parameters = data.parametres as { niveau?: string };
  const level = parameters.niveau ?? "commune";
  const covered = report.resume?.departements_couverts ?? [];
  const parent =
    covered.length === 1 && ["commune", "epci"].includes(level) ? `departement:${covered[0]}` : undefined;
  const periods = report.resume?.periodes ?? [];
  const latest = periods[periods.length - 1];
  const change = (work: () => Promise<ImportOut | undefined>) =>
    void action.run(async () => {
      const changed = await work();
      if (changed) item.reload();
      else navigate("/administration/observatoire");
    });
  const path = { params: { path: { import_id: data.id } } };

  return (
    <>
      <Breadcrumb
        currentPageLabel={`${data.jeu}, version ${data.version}`}
        segments={[
          { label: "Administration", linkProps: { to: "/administration" } },
          { label: "Données de l'observatoire", linkProps: { to: "/administration/observatoire" } },
        ]}
      />
      <h1>
        {data.titre}{" "}
        <span className="fr-text--lead">
          ({data.jeu}, version {data.version})
        </span>
      </h1>
      <div className="fr-mb-2w">
        <Badge severity={IMPORT_STATUS[data.statut]?.severity ?? "info"} noIcon>
          {IMPORT_STATUS[data.statut]?.label ?? data.statut}
        </Badge>
      </div>
      <ul>
        <li>
          Source : {data.source}, millésime {data.millesime} ; valeurs{" "}
          {data.statut_valeurs === "provisoire" ? "provisoires" : "définitives"}
        </li>
        <li>
          {data.observations} valeur(s), {LEVEL_LABELS[level]?.toLowerCase() ?? level}, période(s){" "}
          {periods.join(", ") || "—"}
        </li>
        {data.fichier && <li>Fichier : {data.fichier}</li>}
        <li>
          Importé le {formatDateTime(data.cree_le)} par {personName(data.cree_par)}
        </li>
        {data.publie_le && (
          <li>
            Publié le {formatDateTime(data.publie_le)} par {personName(data.publie_par)}
          </li>
        )}
        {data.retire_le && (
          <li>
            Retiré le {formatDateTime(data.retire_le)} par {personName(data.retire_par)}
          </li>
        )}
      </ul>
      <ProblemAlert problem={action.problem} focus />
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        {(data.statut === "valide" || data.statut === "retire") && (
          <li>
            <Button
              disabled={action.busy}
              iconId="fr-icon-send-plane-line"
              onClick={() =>
                change(() => unwrap(api.POST("/api/observatory/imports/{import_id}/publication", path)))
              }
            >
              Publier cette version
            </Button>
          </li>
        )}
        {data.statut === "publie" && (
          <li>
            <Button
              priority="secondary"
              disabled={action.busy}
              onClick={() =>
                change(() => unwrap(api.POST("/api/observatory/imports/{import_id}/retrait", path)))
              }
            >
              Retirer cette version
            </Button>
          </li>
        )}
        {(data.statut === "valide" || data.statut === "retire") && (
          <li>
            <Button
              priority="tertiary"
              disabled={action.busy}
              iconId="fr-icon-delete-line"
              onClick={() =>
                change(
                  async () => void (await unwrap(api.DELETE("/api/observatory/imports/{import_id}", path))),
                )
              }
            >
              Supprimer cette version
            </Button>
          </li>
        )}
      </ul>

      {report.resume && <ImportReport report={report} />}

      <section aria-labelledby="valeurs-titre" className="fr-mt-4w">
        <h2 id="valeurs-titre" className="fr-h4">
          Les valeurs importées
        </h2>
        {data.statut !== "publie" ? (
          <p>
            Les valeurs seront lisibles ici et sur les cartes de l'observatoire une fois cette version
            publiée.
          </p>
        ) : (
          <>
            {periods.length > 1 && (
              <p>
                Dernière période du fichier ({latest}) : les autres sont sur la page de chaque indicateur.
              </p>
            )}
            {latest &&
              Object.keys(report.resume.indicateurs).map((code) => (
                <ImportedValues
                  key={code}
                  code={code}
                  level={level}
                  period={latest}
                  parent={parent}
                  importId={data.id}
                />
              ))}
          </>
        )}
      </section>
    </>
  );
}

export default function ImportPage() {
  return (
    <RequireScope scope="observatory:write">
      <Import />
    </RequireScope>
  );
}

/**
 * A place's life in the directory: withdrawing it (it leaves searches and exports, its record stays) and
 * restoring it; where each field comes from, releasing a field typed by hand so its sources give it again;
 * and the source records merged into it, one of which can be split off when the merge was wrong.
 */
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import { Link, useParams } from "react-router";

import { api, unwrap, unwrapWithEtag } from "../../../api/client";
import type { components } from "../../../api/schema";
import { ConfirmButton } from "../../../components/admin/ConfirmDialog";
import { DataTable } from "../../../components/DataTable";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { RequireScope } from "../../../components/RequireScope";
import { formatDate, formatDateTime } from "../../../lib/format";
import { personName } from "../../../lib/people";
import { FIELD_LABELS } from "../../../lib/placeForm";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useSubmit } from "../../../lib/useSubmit";

type FieldSource = components["schemas"]["DirectoryFieldSource"];
type Record_ = components["schemas"]["DirectoryRecordOut"];

const EXTRA_LABELS: Record<string, string> = {
  nom: "Nom",
  adresse: "Adresse",
  commune: "Commune",
  code_postal: "Code postal",
  code_insee: "Code INSEE",
  latitude: "Latitude",
  longitude: "Longitude",
  horaires: "Horaires",
  pivot: "SIRET",
  structure_parente: "Structure parente",
};
const RECORD_STATUS: Record<string, string> = {
  active: "actif",
  quarantined: "en quarantaine",
  withdrawn: "retiré à la source",
  out_of_scope: "hors territoire",
};
const RULES: Record<string, string> = {
  date_maj: "la mise à jour la plus récente",
  priority: "la source prioritaire",
  manual: "saisie à la main",
};

const fieldLabel = (field: string) => FIELD_LABELS[field] ?? EXTRA_LABELS[field] ?? field.replace(/_/g, " ");
const sourceLabel = (source: string) => (source === "manual" ? "Saisie à la main" : source);

function Provenance({
  placeId,
  generation,
  onChanged,
}: {
  placeId: string;
  generation: number;
  onChanged: (message: string) => void;
}) {
  const provenance = useResource(`provenance:${placeId}:${generation}`, (signal) =>
    unwrap(
      api.GET("/api/directory/sync/lieux/{place_id}/provenance", {
        params: { path: { place_id: placeId } },
        signal,
      }),
    ),
  );
  const { problem, run } = useSubmit();
  if (provenance.problem)
    return (
      <ProblemAlert
        problem={provenance.problem}
        unavailable="La provenance des champs"
        onRetry={provenance.reload}
      />
    );
  if (!provenance.data) return <Loading />;
  const { fields, records } = provenance.data;
  const merged = records.filter((record) => record.place_id === placeId);
  return (
    <>
      <ProblemAlert problem={problem} focus />
      <section aria-labelledby="provenance-titre" className="fr-mb-6w">
        <h2 id="provenance-titre">Provenance des champs</h2>
        <p>
          Un champ saisi à la main est gardé par les synchronisations. Le libérer rend la main à ses sources :
          le lieu est recalculé aussitôt.
        </p>
        <DataTable<FieldSource>
          caption="Source de chaque champ du lieu"
          rows={fields}
          rowKey={(row) => row.field}
          columns={[
            {
              key: "field",
              label: "Champ",
              rowHeader: true,
              sortValue: (row) => fieldLabel(row.field),
              render: (row) => fieldLabel(row.field),
            },
            {
              key: "source",
              label: "Source",
              sortValue: (row) => sourceLabel(row.source),
              render: (row) =>
                row.source === "manual" ? (
                  <>
                    Saisie à la main
                    {row.edited_by && <> par {personName(row.edited_by)}</>}
                    {row.edited_at && <>, le {formatDateTime(row.edited_at)}</>}
                  </>
                ) : (
                  <>
                    {row.source}
                    {row.date_maj && <>, à jour du {formatDate(row.date_maj)}</>}
                  </>
                ),
            },
            {
              key: "rule",
              label: "Retenue parce que",
              sortValue: (row) => RULES[row.rule] ?? row.rule,
              render: (row) => RULES[row.rule] ?? row.rule,
            },
            {
              key: "action",
              label: "Action",
              render: (row) =>
                row.source === "manual" ? (
                  <ConfirmButton
                    label={`Libérer « ${fieldLabel(row.field)} »`}
                    title={`Rendre « ${fieldLabel(row.field)} » à ses sources ?`}
                    confirmLabel="Libérer le champ"
                    onConfirm={() =>
                      run(async () => {
                        await unwrap(
                          api.DELETE("/api/directory/sync/lieux/{place_id}/manuel/{champ}", {
                            params: { path: { place_id: placeId, champ: row.field } },
                          }),
                        );
                        onChanged(`« ${fieldLabel(row.field)} » est rendu à ses sources.`);
                      })
                    }
                  >
                    <p>
                      La valeur saisie à la main (et celles de son groupe, comme la latitude avec la
                      longitude) est remplacée par celle des sources, si elles en donnent une.
                    </p>
                  </ConfirmButton>
                ) : (
                  "—"
                ),
            },
          ]}
        />
      </section>
      <section aria-labelledby="fusions-titre" className="fr-mb-6w">
        <h2 id="fusions-titre">Enregistrements fusionnés dans ce lieu</h2>
        {merged.length === 0 && <p>Ce lieu ne vient d'aucune source : il a été saisi dans l'annuaire.</p>}
        {merged.length > 0 && (
          <DataTable<Record_>
            caption="Enregistrements des sources rattachés à ce lieu"
            rows={merged}
            rowKey={(row) => String(row.id)}
            columns={[
              {
                key: "source",
                label: "Source",
                rowHeader: true,
                sortValue: (row) => row.source,
                render: (row) => `${row.source} (${row.source_id})`,
              },
              {
                key: "status",
                label: "État",
                sortValue: (row) => RECORD_STATUS[row.status],
                render: (row) => RECORD_STATUS[row.status] ?? row.status,
              },
              {
                key: "date_maj",
                label: "Mis à jour à la source",
                sortValue: (row) => row.date_maj,
                render: (row) => (row.date_maj ? formatDate(row.date_maj) : "—"),
              },
              {
                key: "last_seen_at",
                label: "Vu pour la dernière fois",
                sortValue: (row) => row.last_seen_at,
                render: (row) => formatDateTime(row.last_seen_at),
              },
              {
                key: "action",
                label: "Action",
                render: (row) =>
                  merged.length > 1 ? (
                    <ConfirmButton
                      label={`Séparer ${row.source} (${row.source_id})`}
                      title="Séparer cet enregistrement du lieu ?"
                      confirmLabel="Séparer"
                      onConfirm={() =>
                        run(async () => {
                          await unwrap(
                            api.POST("/api/directory/sync/enregistrements/{record_id}/separation", {
                              params: { path: { record_id: row.id } },
                            }),
                          );
                          onChanged(
                            `L'enregistrement ${row.source} (${row.source_id}) est devenu un lieu à part ; il ne sera plus fusionné avec celui-ci.`,
                          );
                        })
                      }
                    >
                      <p>
                        La fusion était une erreur : l'enregistrement devient un lieu à lui seul, et ne sera
                        plus jamais fusionné avec ce lieu. Les champs de ce lieu sont recalculés sans lui.
                      </p>
                    </ConfirmButton>
                  ) : (
                    "—"
                  ),
              },
            ]}
          />
        )}
      </section>
    </>
  );
}

function PlaceSheet({ id }: { id: string }) {
  const [generation, setGeneration] = useState(0);
  const [message, setMessage] = useState<string>();
  const place = useResource(`admin-place:${id}:${generation}`, () =>
    unwrapWithEtag(api.GET("/api/directory/lieux/{place_id}", { params: { path: { place_id: id } } })),
  );
  const { busy, problem, run } = useSubmit();
  const changed = (text: string) => {
    setMessage(text);
    setGeneration((value) => value + 1);
  };
  const data = place.data?.data;
  usePageTitle(data ? `Gérer « ${data.nom} »` : "Gérer un lieu");
  if (place.problem)
    return <ProblemAlert problem={place.problem} unavailable="La fiche du lieu" onRetry={place.reload} />;
  if (!data || !place.data) return <Loading />;
  const etag = place.data.etag;
  const withdrawn = data.status === "withdrawn";
  return (
    <>
      <Breadcrumb
        currentPageLabel={data.nom}
        segments={[{ label: "Administration", linkProps: { to: "/administration" } }]}
      />
      <h1>
        Gérer « {data.nom} »{" "}
        <Badge severity={withdrawn ? "warning" : "success"} noIcon>
          {withdrawn ? "retiré" : "publié"}
        </Badge>
      </h1>
      <p>
        {data.adresse}, {data.code_postal} {data.commune}
      </p>
      <div role="status">{message && <p className="fr-message fr-message--valid fr-mb-2w">{message}</p>}</div>
      <ProblemAlert problem={problem} focus />
      <ul className="fr-btns-group fr-btns-group--inline-md">
        {!withdrawn && (
          <li>
            <Button priority="secondary" linkProps={{ to: `/lieux/${id}/modifier` }}>
              Modifier ce lieu
            </Button>
          </li>
        )}
        {!withdrawn && (
          <li>
            <Button priority="secondary" linkProps={{ to: `/administration/permanences?lieu=${id}` }}>
              Permanences dans ce lieu
            </Button>
          </li>
        )}
        <li>
          <Button priority="tertiary" linkProps={{ to: `/lieux/${id}` }}>
            Voir sa page publique
          </Button>
        </li>
        <li>
          {withdrawn ? (
            <Button
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await unwrap(
                    api.POST("/api/directory/lieux/{place_id}/restauration", {
                      params: { path: { place_id: id }, header: { "if-match": etag } },
                    }),
                  );
                  changed("Lieu restauré : il revient dans les recherches et les exports.");
                })
              }
            >
              Restaurer ce lieu
            </Button>
          ) : (
            <ConfirmButton
              label="Retirer ce lieu"
              title={`Retirer « ${data.nom} » de l'annuaire ?`}
              confirmLabel="Retirer le lieu"
              onConfirm={() =>
                run(async () => {
                  await unwrap(
                    api.DELETE("/api/directory/lieux/{place_id}", {
                      params: { path: { place_id: id }, header: { "if-match": etag } },
                    }),
                  );
                  changed(
                    "Lieu retiré : il n'apparaît plus dans les recherches ni les exports. Vous pouvez le restaurer ici.",
                  );
                })
              }
            >
              <p>
                Il quitte les recherches, la carte et les exports ; les partenaires qui suivent les
                modifications apprennent son retrait. Sa fiche et son historique restent, et il peut être
                restauré.
              </p>
            </ConfirmButton>
          )}
        </li>
      </ul>
      <Provenance placeId={id} generation={generation} onChanged={changed} />
      <p>
        <Link to="/administration/synchronisation/revue">Doublons à examiner</Link> ·{" "}
        <Link to="/administration/synchronisation/rapprochement">Rapport de rapprochement</Link>
      </p>
    </>
  );
}

export default function PlaceAdminPage() {
  const { id = "" } = useParams();
  return (
    <RequireScope scope="directory:write">
      <PlaceSheet id={id} />
    </RequireScope>
  );
}

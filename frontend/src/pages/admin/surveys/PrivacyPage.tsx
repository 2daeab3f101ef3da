/**
 * A person's requests about their survey data (GDPR), answered by the coordination from the code their mediator
 * uses: a copy of everything held (access, portability), erasure, and sharing their results with the structure.
 * The code goes in the request body, never in an address.
 */
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useState } from "react";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { useAuth } from "../../../auth/AuthContext";
import { ConfirmButton } from "../../../components/admin/ConfirmDialog";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { RequireScope } from "../../../components/RequireScope";
import { formatDateTime, plural } from "../../../lib/format";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useSubmit } from "../../../lib/useSubmit";
import { COORDINATING_ROLES, PHASES } from "./labels";

type Export = components["schemas"]["SurveysRespondentExport"];
type Erasure = components["schemas"]["SurveysErasure"];
type Consent = components["schemas"]["SurveysConsentOut"];

const LABELS = { code_beneficiaire: "Code de la personne", repondant_id: "Identifiant de l'export" };
const STATUS: Record<string, string> = { in_progress: "en cours", completed: "terminée" };
const SHARING: Record<string, string> = { a_partager: "à partager", partage: "partagés" };

function download(data: Export) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = "donnees-personne.json";
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function ExportSummary({ data }: { data: Export }) {
  return (
    <Alert
      severity="info"
      title="Données de la personne"
      description={
        <>
          <p>
            Suivie depuis le {formatDateTime(data.cree_le)} :{" "}
            {plural(data.reponses.length, "réponse", "réponses")},{" "}
            {plural(data.consentements.length, "consentement", "consentements")}.
          </p>
          <ul>
            {data.reponses.map((response) => (
              <li key={response.id}>
                {response.questionnaire_code}, version {response.questionnaire_version} —{" "}
                {PHASES[response.phase] ?? response.phase}, {STATUS[response.statut] ?? response.statut},
                commencée le {formatDateTime(response.commence_le)}
              </li>
            ))}
          </ul>
          <Button
            priority="secondary"
            size="small"
            iconId="fr-icon-download-line"
            onClick={() => download(data)}
          >
            Télécharger la copie (JSON)
          </Button>
        </>
      }
    />
  );
}

function Requests() {
  const { me } = useAuth();
  const coordinating = me?.kind !== "user" || COORDINATING_ROLES.includes(me.role ?? "");
  const [code, setCode] = useState("");
  const [exported, setExported] = useState<Export>();
  const [erased, setErased] = useState<Erasure>();
  const [shared, setShared] = useState<Consent[]>();
  const { busy, problem, run } = useSubmit();
  const body = { code_beneficiaire: code };
  const reset = () => {
    setExported(undefined);
    setErased(undefined);
    setShared(undefined);
  };
  return (
    <>
      <p>
        La plateforme ne connaît pas le nom des personnes : saisissez le code que la structure leur donne
        (celui que le médiateur saisit en début de séance).
      </p>
      <ProblemAlert problem={problem} fieldLabels={LABELS} focus />
      <Input
        label={LABELS.code_beneficiaire}
        hintText="ex. BEN-0042"
        state={
          problem?.errors?.some((error) => error.field.startsWith("code_beneficiaire")) ? "error" : "default"
        }
        nativeInputProps={{
          value: code,
          autoComplete: "off",
          onChange: (event) => setCode(event.target.value),
        }}
      />
      <ul className="fr-btns-group fr-btns-group--inline-md">
        {coordinating && (
          <li>
            <Button
              disabled={busy || !code.trim()}
              onClick={() =>
                void run(async () => {
                  reset();
                  setExported(await unwrap(api.POST("/api/surveys/repondants/export", { body })));
                })
              }
            >
              Obtenir une copie de ses données
            </Button>
          </li>
        )}
        <li>
          <Button
            priority="secondary"
            disabled={busy || !code.trim()}
            onClick={() =>
              void run(async () => {
                reset();
                setShared(await unwrap(api.POST("/api/surveys/repondants/partage", { body })));
              })
            }
          >
            Enregistrer le partage de ses résultats
          </Button>
        </li>
        {coordinating && (
          <li>
            <ConfirmButton
              label="Effacer ses données"
              disabled={busy || !code.trim()}
              title="Effacer les données de cette personne ?"
              confirmLabel="Effacer définitivement"
              onConfirm={() =>
                run(async () => {
                  reset();
                  setErased(await unwrap(api.POST("/api/surveys/repondants/effacement", { body })));
                })
              }
            >
              <p>
                Ses réponses, ses scores, l'historique de ses réponses et ses consentements sont effacés, sans
                retour possible. Les statistiques de la plateforme sont recalculées sans elle.
              </p>
            </ConfirmButton>
          </li>
        )}
      </ul>
      <div role="status">
        {exported && <ExportSummary data={exported} />}
        {erased && (
          <Alert
            severity="success"
            title="Données effacées"
            description={`${plural(erased.reponses, "réponse effacée", "réponses effacées")} et ${plural(erased.consentements, "consentement effacé", "consentements effacés")}.`}
          />
        )}
        {shared && (
          <Alert
            severity="success"
            title="Partage enregistré"
            description={
              shared
                .map(
                  (consent) =>
                    `Résultats ${SHARING[consent.partage] ?? consent.partage}${consent.partage_le ? ` le ${formatDateTime(consent.partage_le)}` : ""}`,
                )
                .join(" ; ") || "Aucun consentement à partager."
            }
          />
        )}
      </div>
    </>
  );
}

export default function PrivacyPage() {
  usePageTitle("Demandes sur les données personnelles");
  return (
    <RequireScope scope="surveys:write">
      <Breadcrumb
        currentPageLabel="Données personnelles"
        segments={[{ label: "Administration", linkProps: { to: "/administration" } }]}
      />
      <h1>Demandes sur les données personnelles</h1>
      <Requests />
    </RequireScope>
  );
}

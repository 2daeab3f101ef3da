/** Campaigns as coordinators open them: on a published questionnaire, with a mode, a closing date and a quota. */
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Link, useNavigate, useSearchParams } from "react-router";

import { api, unwrap } from "../../../api/client";
import type { Campaign } from "../../../api/types";
import { DataTable } from "../../../components/DataTable";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { optionalText, typedNumber } from "../../../lib/adminForms";
import { formatDateTime } from "../../../lib/format";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useFormFields } from "../../../lib/useFormFields";
import { instantOf } from "./campaignForm";
import { CoordinatorsOnly } from "./CoordinatorsOnly";
import { CAMPAIGN_MODES } from "./labels";

export const CAMPAIGN_LABELS = {
  nom: "Nom de la campagne",
  questionnaire_id: "Questionnaire",
  structure: "Structure",
  territoire: "Territoire",
  mode: "Mode de réponse",
  debut: "Ouverture",
  fin: "Clôture",
  quota: "Nombre de réponses attendues au plus",
  conservation_jours: "Durée de conservation des réponses (jours)",
};

export function isOpen(campaign: Pick<Campaign, "debut" | "fin">, now = new Date()): boolean {
  return new Date(campaign.debut) <= now && (!campaign.fin || new Date(campaign.fin) > now);
}

function CreateForm() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const published = useResource("published-questionnaires", (signal) =>
    unwrap(
      api.GET("/api/surveys/questionnaires", {
        params: { query: { statut: "published", size: 200 } },
        signal,
      }),
    ),
  );
  const {
    form,
    text,
    state,
    submit: onSubmit,
    busy,
    problem,
  } = useFormFields({
    nom: "",
    questionnaire_id: params.get("questionnaire") ?? "",
    structure: "",
    territoire: "",
    mode: "both",
    fin: "",
    quota: "",
    conservation_jours: "",
  });
  const submit = onSubmit(async () => {
    const created = await unwrap(
      api.POST("/api/surveys/campagnes", {
        body: {
          nom: form.nom,
          questionnaire_id: form.questionnaire_id,
          structure: optionalText(form.structure),
          territoire: optionalText(form.territoire),
          mode: form.mode as Campaign["mode"],
          fin: instantOf(form.fin),
          quota: typedNumber(form.quota),
          conservation_jours: typedNumber(form.conservation_jours),
        },
      }),
    );
    navigate(`/administration/campagnes/${created.id}`, { state: { message: "Campagne ouverte." } });
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="campagne-titre" className="fr-mt-6w">
      <h2 id="campagne-titre">Ouvrir une campagne</h2>
      <ProblemAlert problem={problem} fieldLabels={CAMPAIGN_LABELS} focus />
      <Input label={CAMPAIGN_LABELS.nom} {...state("nom")} nativeInputProps={text("nom")} />
      <Select
        label={CAMPAIGN_LABELS.questionnaire_id}
        hint="Une version publiée"
        {...state("questionnaire_id")}
        nativeSelectProps={text("questionnaire_id")}
      >
        <option value="">Choisir un questionnaire</option>
        {published.data?.items.map((item) => (
          <option key={item.id} value={item.id}>
            {item.titre}, version {item.version}
          </option>
        ))}
      </Select>
      {published.data && published.data.items.length === 0 && (
        <p>
          Aucun questionnaire publié : <Link to="/administration/questionnaires">publiez-en un d'abord</Link>.
        </p>
      )}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Select label={CAMPAIGN_LABELS.mode} {...state("mode")} nativeSelectProps={text("mode")}>
            {Object.entries(CAMPAIGN_MODES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={CAMPAIGN_LABELS.structure}
            hintText="Facultative, ex. France Services de Modane"
            {...state("structure")}
            nativeInputProps={text("structure")}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={CAMPAIGN_LABELS.territoire}
            hintText="Facultatif : code du département, SIREN de l'intercommunalité ou code INSEE de la commune"
            {...state("territoire")}
            nativeInputProps={text("territoire")}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={CAMPAIGN_LABELS.fin}
            hintText="Facultative : la campagne se ferme seule à ce moment"
            {...state("fin")}
            nativeInputProps={{ type: "datetime-local", ...text("fin") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={CAMPAIGN_LABELS.quota}
            hintText="Facultatif : au-delà, les réponses terminées sont refusées"
            {...state("quota")}
            nativeInputProps={{ inputMode: "numeric", ...text("quota") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={CAMPAIGN_LABELS.conservation_jours}
            hintText="Facultative : la durée par défaut de la plateforme sinon"
            {...state("conservation_jours")}
            nativeInputProps={{ inputMode: "numeric", ...text("conservation_jours") }}
          />
        </div>
      </div>
      <Button type="submit" disabled={busy}>
        Ouvrir la campagne
      </Button>
    </form>
  );
}

function Campaigns() {
  const found = useResource("admin-campaigns", (signal) =>
    unwrap(api.GET("/api/surveys/campagnes", { params: { query: { size: 200 } }, signal })),
  );
  if (found.problem)
    return (
      <ProblemAlert problem={found.problem} unavailable="La liste des campagnes" onRetry={found.reload} />
    );
  if (!found.data) return <Loading />;
  if (found.data.items.length === 0) return <p>Aucune campagne pour l'instant.</p>;
  return (
    <DataTable<Campaign>
      caption="Campagnes"
      rows={found.data.items}
      rowKey={(row) => row.id}
      initialSort={{ key: "debut", direction: "descending" }}
      columns={[
        {
          key: "nom",
          label: "Campagne",
          rowHeader: true,
          sortValue: (row) => row.nom,
          render: (row) => <Link to={`/administration/campagnes/${row.id}`}>{row.nom}</Link>,
        },
        {
          key: "structure",
          label: "Structure",
          sortValue: (row) => row.structure,
          render: (row) => row.structure ?? "—",
        },
        {
          key: "mode",
          label: "Mode",
          sortValue: (row) => CAMPAIGN_MODES[row.mode],
          render: (row) => CAMPAIGN_MODES[row.mode],
        },
        {
          key: "debut",
          label: "Ouverte le",
          sortValue: (row) => row.debut,
          render: (row) => formatDateTime(row.debut),
        },
        {
          key: "fin",
          label: "Clôture",
          sortValue: (row) => row.fin,
          render: (row) => (row.fin ? formatDateTime(row.fin) : "—"),
        },
        {
          key: "state",
          label: "État",
          sortValue: (row) => (isOpen(row) ? 0 : 1),
          render: (row) => (
            <Badge severity={isOpen(row) ? "success" : "new"} small noIcon>
              {isOpen(row) ? "ouverte" : new Date(row.debut) > new Date() ? "à venir" : "close"}
            </Badge>
          ),
        },
      ]}
    />
  );
}

export default function CampaignsAdminPage() {
  usePageTitle("Campagnes");
  return (
    <CoordinatorsOnly>
      <Breadcrumb
        currentPageLabel="Campagnes"
        segments={[{ label: "Administration", linkProps: { to: "/administration" } }]}
      />
      <h1>Campagnes</h1>
      <Campaigns />
      <CreateForm />
    </CoordinatorsOnly>
  );
}

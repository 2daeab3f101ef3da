/**
 * One campaign as its coordinator runs it: its settings (name, closing date, quota), its public link with a QR
 * code to print, renewing the link or closing the campaign, importing a PIX Orga export, and its results.
 */
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type FormEvent, useState } from "react";
import { Link, useLocation, useParams } from "react-router";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import type { Campaign } from "../../../api/types";
import { ConfirmButton } from "../../../components/admin/ConfirmDialog";
import { QrCode } from "../../../components/admin/QrCode";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { fieldStates, fileText, optionalText, typedNumber } from "../../../lib/adminForms";
import { formatDateTime, plural } from "../../../lib/format";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useSubmit } from "../../../lib/useSubmit";
import { instantOf, localInput, publicLink } from "./campaignForm";
import { CAMPAIGN_LABELS, isOpen } from "./CampaignsAdminPage";
import { CoordinatorsOnly } from "./CoordinatorsOnly";
import { CAMPAIGN_MODES, PHASES } from "./labels";

type PixReport = components["schemas"]["SurveysPixImportOut"];

function Settings({ campaign, onSaved }: { campaign: Campaign; onSaved: (campaign: Campaign) => void }) {
  const [form, setForm] = useState({
    nom: campaign.nom,
    structure: campaign.structure ?? "",
    fin: localInput(campaign.fin),
    quota: campaign.quota == null ? "" : String(campaign.quota),
    conservation_jours: String(campaign.conservation_jours),
  });
  const [saved, setSaved] = useState<string>();
  const { busy, problem, run } = useSubmit();
  const state = fieldStates(problem);
  const text = (name: keyof typeof form) => ({
    value: form[name],
    onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(undefined);
    void run(async () => {
      const body: Record<string, unknown> = {
        nom: form.nom,
        structure: optionalText(form.structure),
        conservation_jours: typedNumber(form.conservation_jours),
      };
      // An emptied closing date or quota is set back to none (null), as the hints say.
      body.fin = form.fin ? instantOf(form.fin) : null;
      body.quota = form.quota.trim() ? typedNumber(form.quota) : null;
      const changed = await unwrap(
        api.PATCH("/api/surveys/campagnes/{campaign_id}", {
          params: { path: { campaign_id: campaign.id } },
          body: body as never,
        }),
      );
      setSaved("Réglages enregistrés.");
      onSaved(changed);
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="reglages-titre">
      <h2 id="reglages-titre">Réglages</h2>
      <ProblemAlert problem={problem} fieldLabels={CAMPAIGN_LABELS} focus />
      <Input label={CAMPAIGN_LABELS.nom} {...state("nom")} nativeInputProps={text("nom")} />
      <Input label={CAMPAIGN_LABELS.structure} {...state("structure")} nativeInputProps={text("structure")} />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={CAMPAIGN_LABELS.fin}
            hintText="Laissez vide pour ne fixer aucune date de clôture"
            {...state("fin")}
            nativeInputProps={{ type: "datetime-local", ...text("fin") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={CAMPAIGN_LABELS.quota}
            hintText="Laissez vide pour ne fixer aucune limite"
            {...state("quota")}
            nativeInputProps={{ inputMode: "numeric", ...text("quota") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={CAMPAIGN_LABELS.conservation_jours}
            {...state("conservation_jours")}
            nativeInputProps={{ inputMode: "numeric", ...text("conservation_jours") }}
          />
        </div>
      </div>
      <Button type="submit" priority="secondary" disabled={busy}>
        Enregistrer les réglages
      </Button>
      <p role="status" className={saved ? "fr-message fr-message--valid" : "fr-sr-only"}>
        {saved ?? ""}
      </p>
    </form>
  );
}

function PublicLink({
  campaign,
  onRenewed,
}: {
  campaign: Campaign;
  onRenewed: (campaign: Campaign) => void;
}) {
  const [copied, setCopied] = useState<string>();
  const { problem, run } = useSubmit();
  if (!campaign.jeton_public)
    return <p>Cette campagne se remplit avec un médiateur : elle n'a pas de lien public.</p>;
  const link = publicLink(campaign.jeton_public);
  const print = () => {
    document.body.classList.add("fne-printing-poster");
    const done = () => {
      document.body.classList.remove("fne-printing-poster");
      window.removeEventListener("afterprint", done);
    };
    window.addEventListener("afterprint", done);
    window.print();
  };
  return (
    <>
      <ProblemAlert problem={problem} focus />
      <div className="fne-poster fr-mb-3w">
        <p className="fr-h4">{campaign.nom}</p>
        <p>Scannez ce code pour répondre au questionnaire, ou ouvrez l'adresse ci-dessous.</p>
        <QrCode value={link} label={`QR code du lien public : ${link}`} />
        <p className="fne-link-text" data-testid="public-link">
          {link}
        </p>
      </div>
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fne-no-print">
        <li>
          <Button
            priority="secondary"
            iconId="fr-icon-clipboard-line"
            onClick={() =>
              void navigator.clipboard?.writeText(link).then(
                () => setCopied("Lien copié."),
                () => setCopied("La copie n'a pas fonctionné : sélectionnez le lien à la main."),
              )
            }
          >
            Copier le lien
          </Button>
        </li>
        <li>
          <Button priority="secondary" iconId="fr-icon-printer-line" onClick={print}>
            Imprimer l'affiche avec le QR code
          </Button>
        </li>
        <li>
          <ConfirmButton
            label="Remplacer le lien"
            title="Remplacer le lien public ?"
            confirmLabel="Remplacer le lien"
            onConfirm={() =>
              run(async () => {
                const renewed = await unwrap(
                  api.POST("/api/surveys/campagnes/{campaign_id}/lien-public", {
                    params: { path: { campaign_id: campaign.id } },
                  }),
                );
                setCopied("Nouveau lien créé : l'ancien ne fonctionne plus.");
                onRenewed(renewed);
              })
            }
          >
            <p>
              L'ancien lien et ses QR codes imprimés cessent aussitôt de fonctionner. À faire si le lien a
              circulé là où il ne devait pas.
            </p>
          </ConfirmButton>
        </li>
      </ul>
      <p role="status">{copied}</p>
    </>
  );
}

function PixImport({ campaign }: { campaign: Campaign }) {
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<"pre" | "post" | "follow_up">("pre");
  const [column, setColumn] = useState("Identifiant externe");
  const [report, setReport] = useState<PixReport>();
  const { busy, problem, setProblem, run } = useSubmit();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setReport(undefined);
    if (!file) {
      setProblem({
        title: "Fichier manquant",
        status: 422,
        errors: [{ field: "fichier", reason: "choisissez l'export CSV de la campagne PIX Orga" }],
      });
      return;
    }
    void run(async () => {
      const result = await unwrap(
        api.POST("/api/surveys/campagnes/{campaign_id}/imports/pix-orga", {
          params: { path: { campaign_id: campaign.id }, query: { phase, colonne_identifiant: column } },
          body: (await fileText(file)) as never,
          bodySerializer: (body: unknown) => body as string,
          headers: { "content-type": "text/csv" },
        }),
      );
      setReport(result);
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="pix-titre">
      <h2 id="pix-titre">Importer les résultats PIX Orga</h2>
      <p>
        L'export CSV d'une campagne PIX Orga : les niveaux par compétence des participants qui ont partagé
        leurs résultats deviennent des scores de la même personne (la colonne d'identifiant porte son code de
        suivi ; les noms sont ignorés).
      </p>
      <ProblemAlert
        problem={problem}
        fieldLabels={{
          fichier: "Fichier",
          colonne_identifiant: "Colonne de l'identifiant",
          phase: "Moment",
          campagne_id: "Campagne",
        }}
        focus
      />
      <div className="fr-upload-group fr-mb-3w">
        <label className="fr-label" htmlFor="pix-fichier">
          Export PIX Orga
          <span className="fr-hint-text">Format accepté : .csv</span>
        </label>
        <input
          className="fr-upload"
          type="file"
          id="pix-fichier"
          accept=".csv,text/csv"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </div>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Select
            label="Moment de l'accompagnement"
            nativeSelectProps={{
              value: phase,
              onChange: (event) => setPhase(event.target.value as typeof phase),
            }}
          >
            {Object.entries(PHASES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label="Colonne de l'identifiant"
            nativeInputProps={{ value: column, onChange: (event) => setColumn(event.target.value) }}
          />
        </div>
      </div>
      <Button type="submit" priority="secondary" disabled={busy}>
        Importer l'export PIX Orga
      </Button>
      <div role="status">
        {report && (
          <Alert
            className="fr-mt-3w"
            severity={report.importes > 0 ? "success" : "info"}
            title="Rapport de l'import PIX Orga"
            description={
              <ul>
                <li>{plural(report.importes, "participant importé", "participants importés")}</li>
                <li>
                  {plural(
                    report.non_partages,
                    "participant n'a pas partagé ses résultats",
                    "participants n'ont pas partagé leurs résultats",
                  )}{" "}
                  : ignorés
                </li>
                <li>
                  {plural(report.deja_importes, "participant déjà importé", "participants déjà importés")} :
                  inchangés
                </li>
                {report.competences.length > 0 && <li>Compétences lues : {report.competences.join(", ")}</li>}
              </ul>
            }
          />
        )}
      </div>
    </form>
  );
}

function CampaignSheet({ id }: { id: string }) {
  const location = useLocation();
  const [message, setMessage] = useState<string | undefined>(
    (location.state as { message?: string } | null)?.message,
  );
  const [current, setCurrent] = useState<Campaign>();
  const found = useResource(`admin-campaign:${id}`, (signal) =>
    unwrap(
      api.GET("/api/surveys/campagnes/{campaign_id}", { params: { path: { campaign_id: id } }, signal }),
    ),
  );
  const campaign = current ?? found.data;
  const questionnaire = useResource(
    campaign ? `questionnaire-summary:${campaign.questionnaire_id}` : null,
    (signal) =>
      unwrap(
        api.GET("/api/surveys/questionnaires/{questionnaire_id}", {
          params: { path: { questionnaire_id: campaign!.questionnaire_id } },
          signal,
        }),
      ),
  );
  const closing = useSubmit();
  usePageTitle(campaign ? `Campagne ${campaign.nom}` : "Campagne");
  if (found.problem)
    return <ProblemAlert problem={found.problem} unavailable="La campagne" onRetry={found.reload} />;
  if (!campaign) return <Loading />;
  const open = isOpen(campaign);
  return (
    <>
      <Breadcrumb
        currentPageLabel={campaign.nom}
        segments={[
          { label: "Administration", linkProps: { to: "/administration" } },
          { label: "Campagnes", linkProps: { to: "/administration/campagnes" } },
        ]}
      />
      <h1>
        {campaign.nom}{" "}
        <Badge severity={open ? "success" : "new"} noIcon>
          {open ? "ouverte" : "close"}
        </Badge>
      </h1>
      <div role="status">
        {message && <Alert severity="success" small description={message} className="fr-mb-3w" />}
      </div>
      <ul>
        <li>
          Questionnaire :{" "}
          {questionnaire.data ? (
            <Link to={`/administration/questionnaires/${campaign.questionnaire_id}`}>
              {questionnaire.data.titre}, version {questionnaire.data.version}
            </Link>
          ) : (
            "…"
          )}
        </li>
        <li>Mode : {CAMPAIGN_MODES[campaign.mode]}</li>
        <li>Ouverte le {formatDateTime(campaign.debut)}</li>
        <li>{campaign.fin ? `Clôture : ${formatDateTime(campaign.fin)}` : "Sans date de clôture"}</li>
        <li>
          {campaign.quota
            ? `Au plus ${plural(campaign.quota, "réponse terminée", "réponses terminées")}`
            : "Sans limite de réponses"}
        </li>
      </ul>
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        <li>
          <Button
            linkProps={{ to: `/enquetes/campagnes/${campaign.id}/resultats` }}
            iconId="fr-icon-bar-chart-box-line"
          >
            Voir les résultats
          </Button>
        </li>
        {open && (
          <li>
            <ConfirmButton
              label="Clore la campagne"
              title={`Clore « ${campaign.nom} » maintenant ?`}
              confirmLabel="Clore la campagne"
              onConfirm={() =>
                closing.run(async () => {
                  const closed = await unwrap(
                    api.POST("/api/surveys/campagnes/{campaign_id}/cloture", {
                      params: { path: { campaign_id: campaign.id } },
                    }),
                  );
                  setCurrent(closed);
                  setMessage("Campagne close : elle ne reçoit plus de réponses ; ses résultats restent.");
                })
              }
            >
              <p>
                Plus aucune réponse n'est acceptée, ni par les médiateurs ni par le lien public. Les résultats
                restent consultables.
              </p>
            </ConfirmButton>
          </li>
        )}
      </ul>
      <ProblemAlert problem={closing.problem} focus />
      <section aria-labelledby="lien-titre" className="fr-mt-4w">
        <h2 id="lien-titre">Lien public</h2>
        <PublicLink campaign={campaign} onRenewed={setCurrent} />
      </section>
      <div className="fr-mt-4w fne-no-print">
        <Settings
          key={`${campaign.id}:${campaign.fin ?? ""}`}
          campaign={campaign}
          onSaved={(changed) => {
            setCurrent(changed);
            setMessage("Réglages enregistrés.");
          }}
        />
      </div>
      <div className="fr-mt-6w fne-no-print">
        <PixImport campaign={campaign} />
      </div>
    </>
  );
}

export default function CampaignAdminPage() {
  const { id = "" } = useParams();
  return (
    <CoordinatorsOnly>
      <CampaignSheet id={id} />
    </CoordinatorsOnly>
  );
}

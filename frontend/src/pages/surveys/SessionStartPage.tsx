import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useState } from "react";
import { Link, useNavigate } from "react-router";

import { api, unwrap } from "../../api/client";
import { fieldMessages } from "../../api/problem";
import type { SurveyPhase } from "../../api/types";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RequireScope } from "../../components/RequireScope";
import { formatDateTime } from "../../lib/format";
import { PHASE_LABELS } from "../../lib/surveys";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";
import { useSubmit } from "../../lib/useSubmit";

const LABELS = {
  campagne_id: "Campagne",
  code_beneficiaire: "Code de la personne",
  phase: "Moment",
  consentement: "Consentement",
};

function StartForm() {
  const navigate = useNavigate();
  const campaigns = useResource("campaigns", (signal) =>
    unwrap(api.GET("/api/surveys/campagnes", { params: { query: { size: 100 } }, signal })),
  );
  const [campaignId, setCampaignId] = useState("");
  const [code, setCode] = useState("");
  const [phase, setPhase] = useState<SurveyPhase | "">("");
  const [consent, setConsent] = useState(false);
  const { busy, problem, run } = useSubmit();
  const errors = fieldMessages(problem);
  const usable = (campaigns.data?.items ?? []).filter((campaign) => campaign.mode !== "public");
  const chosen = campaignId || usable[0]?.id || "";

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const started = await unwrap(
        api.POST("/api/surveys/seances", {
          body: {
            campagne_id: chosen,
            code_beneficiaire: code.trim(),
            phase: phase || null,
            consentement: consent ? { donne: true, finalite: "evaluation_autonomie", partage: false } : null,
          },
        }),
      );
      navigate(`/enquetes/reponses/${started.reponse.id}`, { state: { resumed: started.reprise } });
    });
  };

  if (campaigns.loading && !campaigns.data) return <Loading />;
  return (
    <form onSubmit={submit} noValidate className="fr-mb-6w">
      <ProblemAlert problem={campaigns.problem ?? problem} fieldLabels={LABELS} focus />
      <Select
        label={LABELS.campagne_id}
        state={errors.campagne_id ? "error" : "default"}
        stateRelatedMessage={errors.campagne_id}
        nativeSelectProps={{
          value: chosen,
          onChange: (event) => setCampaignId(event.target.value),
          required: true,
        }}
      >
        {usable.length === 0 && <option value="">Aucune campagne ouverte</option>}
        {usable.map((campaign) => (
          <option key={campaign.id} value={campaign.id}>
            {campaign.nom}
            {campaign.structure ? ` — ${campaign.structure}` : ""}
          </option>
        ))}
      </Select>
      <Input
        label={LABELS.code_beneficiaire}
        hintText="Le code que votre structure donne à la personne (jamais son nom) : il est chiffré, jamais conservé tel quel. Le même code retrouve ses séances précédentes."
        state={errors.code_beneficiaire ? "error" : "default"}
        stateRelatedMessage={errors.code_beneficiaire}
        nativeInputProps={{
          value: code,
          onChange: (event) => setCode(event.target.value),
          required: true,
          autoComplete: "off",
        }}
      />
      <Select
        label={LABELS.phase}
        hint="Par défaut : début, puis fin, puis suivi, selon les séances déjà faites."
        state={errors.phase ? "error" : "default"}
        stateRelatedMessage={errors.phase}
        nativeSelectProps={{
          value: phase,
          onChange: (event) => setPhase(event.target.value as SurveyPhase | ""),
        }}
      >
        <option value="">Automatique</option>
        {Object.entries(PHASE_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </Select>
      <Checkbox
        legend={LABELS.consentement}
        hintText="Obligatoire la première fois : vous avez expliqué à la personne à quoi servent ses réponses et qu'elle peut en demander l'effacement."
        state={errors.consentement ? "error" : "default"}
        stateRelatedMessage={errors.consentement}
        options={[
          {
            label: "La personne est d'accord pour répondre",
            nativeInputProps: { checked: consent, onChange: (event) => setConsent(event.target.checked) },
          },
        ]}
      />
      <Button type="submit" disabled={busy || !chosen}>
        Commencer ou reprendre la séance
      </Button>
    </form>
  );
}

function MyUnfinishedSessions() {
  const found = useResource("mine", (signal) =>
    unwrap(
      api.GET("/api/surveys/reponses", {
        params: { query: { mes_seances: true, statut: "in_progress" } },
        signal,
      }),
    ),
  );
  const items = found.data?.items ?? [];
  if (found.problem || items.length === 0) return null;
  return (
    <section aria-labelledby="en-cours">
      <h2 id="en-cours">Mes séances à terminer</h2>
      <ul>
        {items.map((item) => (
          <li key={item.id}>
            <Link to={`/enquetes/reponses/${item.id}`}>
              {PHASE_LABELS[item.phase]}, commencée le {formatDateTime(item.commence_le)}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A mediator starts a session with a person, or picks up the one left unfinished. */
export default function SessionStartPage() {
  usePageTitle("Séance d'évaluation");
  return (
    <RequireScope scope="surveys:write">
      <h1>Séance d'évaluation des compétences numériques</h1>
      <p>
        Remplissez le questionnaire avec la personne accompagnée. À la fin, la toile de ses compétences
        s'affiche, avec l'évolution depuis sa séance précédente.
      </p>
      <StartForm />
      <MyUnfinishedSessions />
    </RequireScope>
  );
}

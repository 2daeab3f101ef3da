/**
 * One objective of the roadmap, as the committee keeps it up to date: its status with a comment, each
 * indicator's values (comment and evidence), target and due date, new indicators, and its milestones.
 */
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type FormEvent, useState } from "react";
import { useParams } from "react-router";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { RequireScope } from "../../../components/RequireScope";
import { fieldStates, numberText, optionalText, typedNumber } from "../../../lib/adminForms";
import { formatDate, formatDateTime, formatNumber } from "../../../lib/format";
import { personName } from "../../../lib/people";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useSubmit } from "../../../lib/useSubmit";
import {
  MILESTONE_STATUS,
  type MilestoneStatus,
  OBJECTIVE_STATUS,
  type ObjectiveStatus,
  TREND,
} from "./labels";
import "../../../components/admin/admin.css";

type Objective = components["schemas"]["ObservatoryObjectiveOut"];
type Indicator = components["schemas"]["ObservatoryRoadmapIndicatorOut"];
type Value = components["schemas"]["ObservatoryRoadmapValueOut"];
type Milestone = components["schemas"]["ObservatoryMilestoneOut"];

const VALUE_LABELS = {
  date: "Date du constat",
  valeur: "Valeur",
  texte: "Constat",
  commentaire: "Commentaire",
  preuves: "Justificatifs",
};
const TARGET_LABELS = {
  libelle: "Libellé",
  unite: "Unité",
  valeur_initiale: "Valeur initiale",
  cible: "Cible",
  cible_texte: "Cible (en mots)",
  echeance: "Échéance",
  nature: "Nature",
  indicateur_catalogue: "Indicateur de l'observatoire",
};
const MILESTONE_LABELS = { statut: "État du jalon", atteint_le: "Atteint le", commentaire: "Commentaire" };
const today = () => new Date().toISOString().slice(0, 10);

function Saved({ message }: { message?: string }) {
  return (
    <p role="status" className={message ? "fr-message fr-message--valid" : "fr-sr-only"}>
      {message ?? ""}
    </p>
  );
}

function shown(value: Value | null | undefined, unit?: string | null): string {
  if (!value) return "—";
  if (value.valeur != null) return `${formatNumber(value.valeur)}${unit ? ` ${unit}` : ""}`;
  return value.texte ?? "—";
}

function StatusForm({ objective, onSaved }: { objective: Objective; onSaved: () => void }) {
  const [status, setStatus] = useState<ObjectiveStatus>(objective.statut);
  const [comment, setComment] = useState("");
  const [saved, setSaved] = useState<string>();
  const { busy, problem, run } = useSubmit();
  const state = fieldStates(problem);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(undefined);
    void run(async () => {
      await unwrap(
        api.PUT("/api/observatory/feuille-de-route/objectifs/{numero}/statut", {
          params: { path: { numero: objective.numero } },
          body: { statut: status, commentaire: optionalText(comment) },
        }),
      );
      setComment("");
      setSaved(`Statut enregistré : ${OBJECTIVE_STATUS[status]}.`);
      onSaved();
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Statut de l'objectif">
      <ProblemAlert problem={problem} fieldLabels={{ statut: "Statut", commentaire: "Commentaire" }} focus />
      <Select
        label="Statut"
        {...state("statut")}
        nativeSelectProps={{
          value: status,
          onChange: (event) => setStatus(event.target.value as ObjectiveStatus),
        }}
      >
        {Object.entries(OBJECTIVE_STATUS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </Select>
      <Input
        label="Commentaire"
        hintText="Pourquoi ce statut : il reste dans l'historique et dans le rapport du comité."
        textArea
        {...state("commentaire")}
        nativeTextAreaProps={{ value: comment, onChange: (event) => setComment(event.target.value), rows: 3 }}
      />
      <Button type="submit" disabled={busy}>
        Enregistrer le statut
      </Button>
      <Saved message={saved} />
    </form>
  );
}

interface EvidenceRow {
  titre: string;
  url: string;
}

function ValueForm({ indicator, onSaved }: { indicator: Indicator; onSaved: () => void }) {
  const qualitative = indicator.nature === "qualitatif";
  const [form, setForm] = useState({ date: today(), valeur: "", texte: "", commentaire: "" });
  const [evidence, setEvidence] = useState<EvidenceRow[]>([]);
  const [saved, setSaved] = useState<string>();
  const { busy, problem, run } = useSubmit();
  const state = fieldStates(problem);
  const prefix = `valeur-${indicator.id}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(undefined);
    void run(async () => {
      await unwrap(
        api.POST("/api/observatory/feuille-de-route/indicateurs/{identifiant}/valeurs", {
          params: { path: { identifiant: indicator.id } },
          body: {
            date: form.date,
            valeur: qualitative ? null : typedNumber(form.valeur),
            texte: qualitative ? optionalText(form.texte) : null,
            commentaire: optionalText(form.commentaire),
            preuves: evidence.filter((row) => row.titre || row.url),
          },
        }),
      );
      setForm({ date: today(), valeur: "", texte: "", commentaire: "" });
      setEvidence([]);
      setSaved("Valeur enregistrée.");
      onSaved();
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={`Nouvelle valeur : ${indicator.libelle}`}>
      <ProblemAlert problem={problem} fieldLabels={VALUE_LABELS} focus />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={VALUE_LABELS.date}
            {...state("date")}
            nativeInputProps={{
              type: "date",
              id: `${prefix}-date`,
              value: form.date,
              onChange: (event) => setForm({ ...form, date: event.target.value }),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-8">
          {qualitative ? (
            <Input
              label={VALUE_LABELS.texte}
              {...state("texte")}
              nativeInputProps={{
                value: form.texte,
                onChange: (event) => setForm({ ...form, texte: event.target.value }),
              }}
            />
          ) : (
            <Input
              label={`${VALUE_LABELS.valeur}${indicator.unite ? ` (${indicator.unite})` : ""}`}
              {...state("valeur")}
              nativeInputProps={{
                inputMode: "decimal",
                value: form.valeur,
                onChange: (event) => setForm({ ...form, valeur: event.target.value }),
              }}
            />
          )}
        </div>
      </div>
      <Input
        label={VALUE_LABELS.commentaire}
        textArea
        {...state("commentaire")}
        nativeTextAreaProps={{
          rows: 2,
          value: form.commentaire,
          onChange: (event) => setForm({ ...form, commentaire: event.target.value }),
        }}
      />
      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend fr-text--regular">
          {VALUE_LABELS.preuves}{" "}
          <span className="fr-hint-text">
            Liens vers un compte rendu, un tableau, un article (facultatifs)
          </span>
        </legend>
        {evidence.map((row, index) => (
          <div key={index} className="fr-fieldset__element fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-md-5">
              <Input
                label={`Titre du justificatif ${index + 1}`}
                nativeInputProps={{
                  value: row.titre,
                  onChange: (event) =>
                    setEvidence(
                      evidence.map((item, at) =>
                        at === index ? { ...item, titre: event.target.value } : item,
                      ),
                    ),
                }}
              />
            </div>
            <div className="fr-col-12 fr-col-md-5">
              <Input
                label={`Adresse du justificatif ${index + 1}`}
                nativeInputProps={{
                  type: "url",
                  placeholder: "https://",
                  value: row.url,
                  onChange: (event) =>
                    setEvidence(
                      evidence.map((item, at) =>
                        at === index ? { ...item, url: event.target.value } : item,
                      ),
                    ),
                }}
              />
            </div>
            <div className="fr-col-12 fr-col-md-2">
              <Button
                type="button"
                priority="tertiary"
                size="small"
                onClick={() => setEvidence(evidence.filter((_, at) => at !== index))}
              >
                Enlever le justificatif {index + 1}
              </Button>
            </div>
          </div>
        ))}
        <div className="fr-fieldset__element">
          <Button
            type="button"
            priority="tertiary"
            size="small"
            iconId="fr-icon-add-line"
            onClick={() => setEvidence([...evidence, { titre: "", url: "" }])}
          >
            Ajouter un justificatif
          </Button>
        </div>
      </fieldset>
      <Button type="submit" disabled={busy}>
        Enregistrer la valeur
      </Button>
      <Saved message={saved} />
    </form>
  );
}

function TargetForm({ indicator, onSaved }: { indicator: Indicator; onSaved: () => void }) {
  const [form, setForm] = useState({
    unite: indicator.unite ?? "",
    valeur_initiale: numberText(indicator.valeur_initiale),
    cible: numberText(indicator.cible),
    cible_texte: indicator.cible_texte ?? "",
    echeance: indicator.echeance ?? "",
  });
  const [saved, setSaved] = useState<string>();
  const { busy, problem, run } = useSubmit();
  const state = fieldStates(problem);
  const set = (name: keyof typeof form) => ({
    value: form[name],
    onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(undefined);
    void run(async () => {
      await unwrap(
        api.PATCH("/api/observatory/feuille-de-route/indicateurs/{identifiant}", {
          params: { path: { identifiant: indicator.id } },
          body: {
            unite: optionalText(form.unite),
            valeur_initiale: typedNumber(form.valeur_initiale),
            cible: typedNumber(form.cible),
            cible_texte: optionalText(form.cible_texte),
            echeance: optionalText(form.echeance),
          },
        }),
      );
      setSaved("Cible enregistrée.");
      onSaved();
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={`Cible : ${indicator.libelle}`}>
      <ProblemAlert problem={problem} fieldLabels={TARGET_LABELS} focus />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-3">
          <Input
            label={TARGET_LABELS.valeur_initiale}
            {...state("valeur_initiale")}
            nativeInputProps={{ inputMode: "decimal", ...set("valeur_initiale") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-3">
          <Input
            label={TARGET_LABELS.cible}
            {...state("cible")}
            nativeInputProps={{ inputMode: "decimal", ...set("cible") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-3">
          <Input label={TARGET_LABELS.unite} {...state("unite")} nativeInputProps={set("unite")} />
        </div>
        <div className="fr-col-12 fr-col-md-3">
          <Input
            label={TARGET_LABELS.echeance}
            {...state("echeance")}
            nativeInputProps={{ type: "date", ...set("echeance") }}
          />
        </div>
      </div>
      <Input
        label={TARGET_LABELS.cible_texte}
        hintText="Pour une cible qui ne se chiffre pas."
        {...state("cible_texte")}
        nativeInputProps={set("cible_texte")}
      />
      <Button type="submit" priority="secondary" disabled={busy}>
        Enregistrer la cible
      </Button>
      <Saved message={saved} />
    </form>
  );
}

function ValuesHistory({ indicator, generation }: { indicator: Indicator; generation: number }) {
  const values = useResource(`roadmap-values:${indicator.id}:${generation}`, (signal) =>
    unwrap(
      api.GET("/api/observatory/feuille-de-route/indicateurs/{identifiant}/valeurs", {
        params: { path: { identifiant: indicator.id } },
        signal,
      }),
    ),
  );
  if (values.problem)
    return (
      <ProblemAlert problem={values.problem} unavailable="La liste des valeurs" onRetry={values.reload} />
    );
  if (!values.data) return <Loading />;
  if (values.data.length === 0) return <p>Aucune valeur pour l'instant.</p>;
  return (
    <div
      className="fr-table fr-table--bordered fne-scroll-table"
      tabIndex={0}
      role="region"
      aria-label={`Valeurs : ${indicator.libelle}`}
    >
      <table>
        <caption>Valeurs : {indicator.libelle}, les plus anciennes d'abord</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Valeur</th>
            <th scope="col">Commentaire et justificatifs</th>
            <th scope="col">Origine</th>
          </tr>
        </thead>
        <tbody>
          {values.data.map((value, index) => (
            <tr key={value.id ?? `observatoire-${index}`}>
              <th scope="row">{formatDate(value.date)}</th>
              <td>{shown(value, indicator.unite)}</td>
              <td>
                {value.commentaire}
                {value.preuves.length > 0 && (
                  <ul>
                    {value.preuves.map((proof) => (
                      <li key={proof.url}>
                        <a
                          href={proof.url}
                          target="_blank"
                          rel="noreferrer"
                          title={`${proof.titre} (nouvelle fenêtre)`}
                        >
                          {proof.titre}
                        </a>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                {value.origine === "observatoire" ? "Calcul automatique" : "Saisie"}
                {value.origine === "observatoire" && (value.source || value.calcule_le) && (
                  <>
                    <br />
                    <span className="fr-text--xs">
                      {value.source}
                      {value.calcule_le && `, ${formatDateTime(value.calcule_le)}`}
                    </span>
                  </>
                )}
                {value.saisi_par && (
                  <>
                    <br />
                    <span className="fr-text--xs">
                      {personName(value.saisi_par)}
                      {value.saisi_le && `, ${formatDateTime(value.saisi_le)}`}
                    </span>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function IndicatorSection({
  indicator,
  onSaved,
  generation,
}: {
  indicator: Indicator;
  onSaved: () => void;
  generation: number;
}) {
  return (
    <section className="fr-mb-6w" aria-labelledby={`indicateur-${indicator.id}`}>
      <h3 id={`indicateur-${indicator.id}`} className="fr-h5">
        {indicator.id} — {indicator.libelle}
      </h3>
      <p>
        Dernière valeur : <strong>{shown(indicator.derniere_valeur, indicator.unite)}</strong>
        {indicator.derniere_valeur && <> au {formatDate(indicator.derniere_valeur.date)}</>} (
        {TREND[indicator.tendance] ?? indicator.tendance}).
        {indicator.derniere_valeur?.origine === "observatoire" && (
          <>
            {" "}
            Calculée automatiquement
            {indicator.derniere_valeur.calcule_le && (
              <> le {formatDateTime(indicator.derniere_valeur.calcule_le)}</>
            )}
            {indicator.derniere_valeur.verifie_le &&
              indicator.derniere_valeur.calcule_le &&
              formatDateTime(indicator.derniere_valeur.verifie_le) !==
                formatDateTime(indicator.derniere_valeur.calcule_le) && (
                // Unchanged values keep their version: the source was read again since.
                <>, inchangée à la vérification du {formatDateTime(indicator.derniere_valeur.verifie_le)}</>
              )}
            {indicator.derniere_valeur.source && <> — source : {indicator.derniere_valeur.source}</>}.
          </>
        )}
        {(indicator.cible != null || indicator.cible_texte) && (
          <>
            {" "}
            Cible :{" "}
            {indicator.cible != null
              ? `${formatNumber(indicator.cible)}${indicator.unite ? ` ${indicator.unite}` : ""}`
              : indicator.cible_texte}
          </>
        )}
        {indicator.echeance && <> Échéance : {formatDate(indicator.echeance)}.</>}
        {indicator.avancement != null && <> Avancement : {Math.round(indicator.avancement * 100)} %.</>}
      </p>
      <details className="fr-mb-2w">
        <summary>Saisir une valeur</summary>
        <ValueForm indicator={indicator} onSaved={onSaved} />
      </details>
      <details className="fr-mb-2w">
        <summary>Modifier la cible et l'échéance</summary>
        <TargetForm indicator={indicator} onSaved={onSaved} />
      </details>
      <ValuesHistory indicator={indicator} generation={generation} />
    </section>
  );
}

function NewIndicatorForm({ objective, onSaved }: { objective: number; onSaved: () => void }) {
  const empty = { libelle: "", nature: "quantitatif", unite: "", cible: "", echeance: "" };
  const [form, setForm] = useState(empty);
  const [saved, setSaved] = useState<string>();
  const { busy, problem, run } = useSubmit();
  const state = fieldStates(problem);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(undefined);
    void run(async () => {
      const created = await unwrap(
        api.POST("/api/observatory/feuille-de-route/objectifs/{numero}/indicateurs", {
          params: { path: { numero: objective } },
          body: {
            libelle: form.libelle,
            nature: form.nature,
            unite: optionalText(form.unite),
            cible: typedNumber(form.cible),
            echeance: optionalText(form.echeance),
          },
        }),
      );
      setForm(empty);
      setSaved(`Indicateur ${created.id} ajouté.`);
      onSaved();
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="nouvel-indicateur">
      <h3 id="nouvel-indicateur" className="fr-h6">
        Ajouter un indicateur à cet objectif
      </h3>
      <ProblemAlert problem={problem} fieldLabels={TARGET_LABELS} focus />
      <Input
        label={TARGET_LABELS.libelle}
        {...state("libelle")}
        nativeInputProps={{
          value: form.libelle,
          onChange: (event) => setForm({ ...form, libelle: event.target.value }),
        }}
      />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-3">
          <Select
            label={TARGET_LABELS.nature}
            {...state("nature")}
            nativeSelectProps={{
              value: form.nature,
              onChange: (event) => setForm({ ...form, nature: event.target.value }),
            }}
          >
            <option value="quantitatif">Chiffré</option>
            <option value="qualitatif">Qualitatif (un constat)</option>
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-3">
          <Input
            label={TARGET_LABELS.unite}
            {...state("unite")}
            nativeInputProps={{
              value: form.unite,
              onChange: (event) => setForm({ ...form, unite: event.target.value }),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-3">
          <Input
            label={TARGET_LABELS.cible}
            {...state("cible")}
            nativeInputProps={{
              inputMode: "decimal",
              value: form.cible,
              onChange: (event) => setForm({ ...form, cible: event.target.value }),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-3">
          <Input
            label={TARGET_LABELS.echeance}
            {...state("echeance")}
            nativeInputProps={{
              type: "date",
              value: form.echeance,
              onChange: (event) => setForm({ ...form, echeance: event.target.value }),
            }}
          />
        </div>
      </div>
      <Button type="submit" priority="secondary" disabled={busy}>
        Ajouter l'indicateur
      </Button>
      <Saved message={saved} />
    </form>
  );
}

function MilestoneForm({ milestone, onSaved }: { milestone: Milestone; onSaved: () => void }) {
  const [status, setStatus] = useState<MilestoneStatus>(milestone.statut);
  const [reached, setReached] = useState(milestone.atteint_le ?? today());
  const [comment, setComment] = useState(milestone.commentaire ?? "");
  const [saved, setSaved] = useState<string>();
  const { busy, problem, run } = useSubmit();
  const state = fieldStates(problem);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(undefined);
    void run(async () => {
      await unwrap(
        api.PUT("/api/observatory/feuille-de-route/jalons/{identifiant}", {
          params: { path: { identifiant: milestone.id } },
          body: {
            statut: status,
            atteint_le: status === "atteint" ? reached || null : null,
            commentaire: optionalText(comment),
          },
        }),
      );
      setSaved(`Jalon enregistré : ${MILESTONE_STATUS[status]}.`);
      onSaved();
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={`Jalon : ${milestone.libelle}`}>
      <ProblemAlert problem={problem} fieldLabels={MILESTONE_LABELS} focus />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Select
            label={`${MILESTONE_LABELS.statut} ${milestone.id}`}
            {...state("statut")}
            nativeSelectProps={{
              value: status,
              onChange: (event) => setStatus(event.target.value as MilestoneStatus),
            }}
          >
            {Object.entries(MILESTONE_STATUS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
        {status === "atteint" && (
          <div className="fr-col-12 fr-col-md-4">
            <Input
              label={`${MILESTONE_LABELS.atteint_le} (jalon ${milestone.id})`}
              {...state("atteint_le")}
              nativeInputProps={{
                type: "date",
                value: reached,
                onChange: (event) => setReached(event.target.value),
              }}
            />
          </div>
        )}
      </div>
      <Input
        label={`${MILESTONE_LABELS.commentaire} (jalon ${milestone.id})`}
        {...state("commentaire")}
        nativeInputProps={{ value: comment, onChange: (event) => setComment(event.target.value) }}
      />
      <Button type="submit" priority="secondary" size="small" disabled={busy}>
        Enregistrer le jalon {milestone.id}
      </Button>
      <Saved message={saved} />
    </form>
  );
}

function ObjectiveSheet({ numero }: { numero: number }) {
  const [generation, setGeneration] = useState(0);
  const objective = useResource(`admin-objective:${numero}:${generation}`, (signal) =>
    unwrap(
      api.GET("/api/observatory/feuille-de-route/objectifs/{numero}", {
        params: { path: { numero } },
        signal,
      }),
    ),
  );
  const data = objective.data;
  usePageTitle(data ? `Objectif ${data.numero} : ${data.titre}` : "Objectif de la feuille de route");
  const saved = () => setGeneration((value) => value + 1);
  if (objective.problem)
    return (
      <ProblemAlert
        problem={objective.problem}
        unavailable="La feuille de route"
        onRetry={objective.reload}
      />
    );
  if (!data) return <Loading />;
  return (
    <>
      <Breadcrumb
        currentPageLabel={`Objectif ${data.numero}`}
        segments={[
          { label: "Administration", linkProps: { to: "/administration" } },
          { label: "Feuille de route", linkProps: { to: "/administration/feuille-de-route" } },
        ]}
      />
      <h1>
        Objectif {data.numero} : {data.titre}
      </h1>
      <p>
        Axe {data.axe}. Acteurs : {data.acteurs}
      </p>
      <section aria-labelledby="statut-titre" className="fr-mb-6w">
        <h2 id="statut-titre">
          Statut :{" "}
          <Badge
            noIcon
            severity={
              data.statut === "atteint" ? "success" : data.statut === "en_retard" ? "warning" : "info"
            }
          >
            {OBJECTIVE_STATUS[data.statut]}
          </Badge>
        </h2>
        {data.commentaire_statut && <p>{data.commentaire_statut}</p>}
        <StatusForm objective={data} onSaved={saved} />
        {data.historique_statut.length > 0 && (
          <div
            className="fr-table fr-table--bordered fne-scroll-table fr-mt-3w"
            tabIndex={0}
            role="region"
            aria-label="Historique du statut"
          >
            <table>
              <caption>Historique du statut</caption>
              <thead>
                <tr>
                  <th scope="col">Le</th>
                  <th scope="col">Changement</th>
                  <th scope="col">Commentaire</th>
                  <th scope="col">Par</th>
                </tr>
              </thead>
              <tbody>
                {data.historique_statut.map((change, index) => (
                  <tr key={index}>
                    <th scope="row">{formatDateTime(change.le)}</th>
                    <td>
                      {OBJECTIVE_STATUS[change.statut_precedent]} → {OBJECTIVE_STATUS[change.statut]}
                    </td>
                    <td>{change.commentaire ?? "—"}</td>
                    <td>{personName(change.par)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="indicateurs-titre" className="fr-mb-6w">
        <h2 id="indicateurs-titre">Indicateurs</h2>
        {data.indicateurs.length === 0 && <p>Cet objectif n'a pas encore d'indicateur.</p>}
        {data.indicateurs.map((indicator) => (
          <IndicatorSection
            key={indicator.id}
            indicator={indicator}
            onSaved={saved}
            generation={generation}
          />
        ))}
        <NewIndicatorForm objective={data.numero} onSaved={saved} />
      </section>
      <section aria-labelledby="jalons-titre" className="fr-mb-6w">
        <h2 id="jalons-titre">Jalons</h2>
        {data.jalons.length === 0 && <p>Cet objectif n'a pas de jalon.</p>}
        {data.jalons.map((milestone) => (
          <section key={milestone.id} className="fr-mb-4w" aria-labelledby={`jalon-${milestone.id}`}>
            <h3 id={`jalon-${milestone.id}`} className="fr-h6">
              {milestone.id} — {milestone.libelle}
            </h3>
            <p>
              Échéance : {milestone.echeance_texte}.{" "}
              {milestone.atteint_le ? (
                <>Atteint le {formatDate(milestone.atteint_le)}.</>
              ) : milestone.en_retard ? (
                <strong className="fne-late">En retard.</strong>
              ) : (
                <>{MILESTONE_STATUS[milestone.statut]}.</>
              )}
            </p>
            <MilestoneForm milestone={milestone} onSaved={saved} />
          </section>
        ))}
      </section>
      {data.statut === "abandonne" && (
        <Alert
          severity="info"
          small
          description="Cet objectif est abandonné : il reste dans le rapport du comité."
        />
      )}
    </>
  );
}

export default function ObjectiveAdminPage() {
  const { numero = "" } = useParams();
  return (
    <RequireScope scope="observatory:write">
      <ObjectiveSheet numero={Number(numero)} />
    </RequireScope>
  );
}

/**
 * The observatory's computations a coordinator starts: the directory's indicators (places, programmes, access
 * time), the surveys' aggregates and the roadmap from live data. Each answers with a job followed until it
 * ends, which can be cancelled while it runs.
 */
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link } from "react-router";

import { RequireScope } from "../../../components/RequireScope";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { fieldStates, optionalText, typedNumber } from "../../../lib/adminForms";
import { formatDateTime, plural } from "../../../lib/format";
import { JOB_STATUS_LABELS } from "../../../lib/issues";
import { follow, type Job, progressOf, RUNNING, start } from "../../../lib/jobs";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useSubmit } from "../../../lib/useSubmit";
import { IMPORT_STATUS, type ImportOut } from "./imports";

const PREFIX = "/api/observatory";
const SURVEY_LABELS = {
  referentiel: "Référentiel",
  periode: "Regroupement des réponses",
  departement: "Département",
  annee_progression: "Année de la progression",
};
const JOB_LABELS: Record<string, string> = {
  ...JOB_STATUS_LABELS,
  // « Calcul » is masculine.
  reussie: "réussi",
  echouee: "échoué",
  annulee: "annulé",
  interrompue: "interrompu",
};

function importOf(value: unknown): ImportOut | undefined {
  const candidate = value as Partial<ImportOut> | undefined;
  return candidate &&
    typeof candidate === "object" &&
    typeof candidate.id === "string" &&
    "observations" in candidate
    ? (candidate as ImportOut)
    : undefined;
}

function Result({ result }: { result: ImportOut }) {
  const status = IMPORT_STATUS[result.statut];
  return (
    <Alert
      severity="success"
      title="Calcul terminé"
      description={
        <>
          <p>
            {result.titre} : {plural(result.observations, "valeur calculée", "valeurs calculées")}, version{" "}
            {result.version} du {formatDateTime(result.cree_le)} ({status?.label ?? result.statut}).
          </p>
          <p>
            <Link to={`/administration/observatoire/imports/${result.id}`}>Lire le rapport du calcul</Link>
          </p>
        </>
      }
    />
  );
}

const SOURCE_LABELS: Record<string, string> = {
  annuaire: "Annuaire",
  reseau: "Service réseau",
  coop: "La Coop de la médiation numérique",
  observatoire: "Observatoire (comités, jeux publiés)",
  enquetes: "Questionnaires",
};

/** A dataset version the job published, or found unchanged (checked later than it was computed). */
function Version({ item }: { item: ImportOut }) {
  const checked = (item as ImportOut & { verifie_le?: string | null }).verifie_le;
  const unchanged = checked !== undefined && checked !== null && checked > item.cree_le;
  return (
    <li>
      <Link to={`/administration/observatoire/imports/${item.id}`}>{item.titre}</Link> : version{" "}
      {item.version},{" "}
      {unchanged
        ? `valeurs inchangées depuis le ${formatDateTime(item.cree_le)}, vérifiées le ${formatDateTime(checked)}`
        : `${plural(item.observations, "valeur publiée", "valeurs publiées")} le ${formatDateTime(item.cree_le)}`}
    </li>
  );
}

function Results({ job }: { job: Job }) {
  const results = Array.isArray(job.resultats)
    ? job.resultats.map(importOf).filter((item): item is ImportOut => item !== undefined)
    : [];
  const skipped = (job.ignorees ?? {}) as Record<string, string>;
  return (
    <Alert
      severity="success"
      title="Calcul terminé"
      description={
        <>
          {results.length > 0 ? (
            <ul>
              {results.map((item) => (
                <Version key={item.id} item={item} />
              ))}
            </ul>
          ) : (
            <p>Aucune valeur à publier.</p>
          )}
          {Object.keys(skipped).length > 0 && (
            <>
              <p>Sources non calculées :</p>
              <ul>
                {Object.entries(skipped).map(([source, reason]) => (
                  <li key={source}>
                    {SOURCE_LABELS[source] ?? source} : {reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      }
    />
  );
}

function JobState({ job, onCancel }: { job: Job; onCancel?: () => void }) {
  const progress = progressOf(job);
  const running = RUNNING.has(job.statut);
  const several = Array.isArray(job.resultats) && job.type === "feuille-de-route";
  const result = several ? undefined : (importOf(job.resultat) ?? importOf(job));
  return (
    <div className="fr-mb-3w">
      <p>
        Calcul{" "}
        <Badge
          as="span"
          severity={running ? "info" : job.statut === "reussie" ? "success" : "warning"}
          small
          noIcon
        >
          {JOB_LABELS[job.statut] ?? job.statut}
        </Badge>
        {job.message && <> : {job.message}</>}
      </p>
      {progress !== undefined && (
        <p>
          <label htmlFor="avancement-calcul">Avancement : {Math.round(progress * 100)} %</label>
          <br />
          <progress id="avancement-calcul" max={1} value={progress} />
        </p>
      )}
      {running && onCancel && (
        <Button priority="secondary" size="small" onClick={onCancel}>
          Annuler le calcul
        </Button>
      )}
      {!running && several && job.statut === "reussie" && <Results job={job} />}
      {!running && result && <Result result={result} />}
      {!running && !several && !result && typeof job.import_id === "string" && (
        <p>
          <Link to={`/administration/observatoire/imports/${job.import_id}`}>Lire le rapport du calcul</Link>
        </p>
      )}
    </div>
  );
}

/** Runs one computation and shows where it is: busy, the job's progress, then its result or problem. */
function useComputation() {
  const { busy, problem, run } = useSubmit();
  const cancelling = useSubmit();
  const [result, setResult] = useState<ImportOut>();
  const [job, setJob] = useState<Job>();
  const stop = useRef<AbortController>(undefined);
  const address = useRef<string>(undefined);
  useEffect(() => () => stop.current?.abort(), []);
  // The job stops and publishes nothing; the page's reading of it shows « annulé » at its next turn.
  const cancel = () =>
    void cancelling.run(async () => {
      if (!address.current) return;
      const answered = await start<Job>("", `${address.current}/annulation`);
      if (answered.kind === "result") setJob(answered.result);
    });
  const launch = (path: string, payload?: unknown) =>
    void run(async () => {
      setResult(undefined);
      setJob(undefined);
      const started = await start<ImportOut>(PREFIX, path, payload);
      if (started.kind === "result") {
        setResult(started.result);
        return;
      }
      setJob(started.job);
      address.current = started.url;
      stop.current = new AbortController();
      await follow(started.url, setJob, stop.current.signal);
    });
  return { busy, problem: problem ?? cancelling.problem, result, job, launch, cancel };
}

function DirectoryComputation() {
  const { busy, problem, result, job, launch, cancel } = useComputation();
  return (
    <section aria-labelledby="calcul-annuaire" className="fr-mb-6w">
      <h2 id="calcul-annuaire">Indicateurs tirés de l'annuaire</h2>
      <p>
        Lieux de médiation par commune, programmes nationaux (France Services, Aidants Connect…), fraîcheur
        des fiches et temps d'accès à un conseiller numérique, pour le mois en cours. Le calcul lit l'annuaire
        publié ; il peut prendre quelques minutes.
      </p>
      <ProblemAlert problem={problem} focus />
      <Button onClick={() => launch("/calculs/annuaire")} disabled={busy}>
        {busy ? "Calcul en cours…" : "Calculer les indicateurs de l'annuaire"}
      </Button>
      <div role="status" className="fr-mt-2w">
        {job && <JobState job={job} onCancel={cancel} />}
        {result && <Result result={result} />}
      </div>
    </section>
  );
}

function SurveysComputation() {
  const { busy, problem, result, job, launch, cancel } = useComputation();
  const [form, setForm] = useState({
    referentiel: "pix",
    periode: "annee",
    departement: "",
    annee_progression: "",
  });
  const state = fieldStates(problem);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    launch("/calculs/enquetes", {
      referentiel: form.referentiel,
      periode: form.periode,
      departement: optionalText(form.departement),
      annee_progression: typedNumber(form.annee_progression),
    });
  };
  return (
    <section aria-labelledby="calcul-enquetes" className="fr-mb-6w">
      <h2 id="calcul-enquetes">Indicateurs tirés des questionnaires</h2>
      <p>
        Les scores moyens par compétence d'un référentiel, publiés seulement là où assez de personnes ont
        répondu (secret statistique), et la progression avant / après accompagnement.
      </p>
      <form onSubmit={submit} noValidate>
        <ProblemAlert problem={problem} fieldLabels={SURVEY_LABELS} focus />
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-3">
            <Input
              label={SURVEY_LABELS.referentiel}
              hintText="ex. pix, toile-capacites"
              {...state("referentiel")}
              nativeInputProps={{
                value: form.referentiel,
                onChange: (event) => setForm({ ...form, referentiel: event.target.value }),
              }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-3">
            <Select
              label={SURVEY_LABELS.periode}
              {...state("periode")}
              nativeSelectProps={{
                value: form.periode,
                onChange: (event) => setForm({ ...form, periode: event.target.value }),
              }}
            >
              <option value="annee">Par année</option>
              <option value="trimestre">Par trimestre</option>
              <option value="mois">Par mois</option>
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-3">
            <Input
              label={SURVEY_LABELS.departement}
              hintText="Vide : le département suivi"
              {...state("departement")}
              nativeInputProps={{
                value: form.departement,
                onChange: (event) => setForm({ ...form, departement: event.target.value }),
              }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-3">
            <Input
              label={SURVEY_LABELS.annee_progression}
              hintText="Facultative, ex. 2026"
              {...state("annee_progression")}
              nativeInputProps={{
                inputMode: "numeric",
                value: form.annee_progression,
                onChange: (event) => setForm({ ...form, annee_progression: event.target.value }),
              }}
            />
          </div>
        </div>
        <Button type="submit" disabled={busy}>
          {busy ? "Calcul en cours…" : "Calculer les indicateurs des questionnaires"}
        </Button>
      </form>
      <div role="status" className="fr-mt-2w">
        {job && <JobState job={job} onCancel={cancel} />}
        {result && <Result result={result} />}
      </div>
    </section>
  );
}

function RoadmapComputation() {
  const { busy, problem, result, job, launch, cancel } = useComputation();
  return (
    <section aria-labelledby="calcul-feuille-de-route" className="fr-mb-6w">
      <h2 id="calcul-feuille-de-route">Feuille de route calculée</h2>
      <p>
        Les indicateurs de la feuille de route que les données de la plateforme mesurent : permanences de
        l'annuaire, personnes, formations et événements du service réseau, activité de La Coop, comités de
        l'observatoire. Ils sont recalculés chaque jour ; une source dont les valeurs n'ont pas changé garde
        sa version, datée du jour de la vérification.
      </p>
      <ProblemAlert problem={problem} focus />
      <Button onClick={() => launch("/calculs/feuille-de-route")} disabled={busy}>
        {busy ? "Calcul en cours…" : "Calculer la feuille de route"}
      </Button>
      <div role="status" className="fr-mt-2w">
        {job && <JobState job={job} onCancel={cancel} />}
        {result && <Result result={result} />}
      </div>
    </section>
  );
}

export default function CalculationsPage() {
  usePageTitle("Calculs de l'observatoire");
  return (
    <RequireScope scope="observatory:write">
      <Breadcrumb
        currentPageLabel="Calculs"
        segments={[{ label: "Administration", linkProps: { to: "/administration" } }]}
      />
      <h1>Calculs de l'observatoire</h1>
      <p>
        Chaque calcul publie une nouvelle version de ses indicateurs quand leurs valeurs ont changé ; la
        précédente reste consultable dans{" "}
        <Link to="/administration/observatoire">les données de l'observatoire</Link>.
      </p>
      <DirectoryComputation />
      <SurveysComputation />
      <RoadmapComputation />
    </RequireScope>
  );
}

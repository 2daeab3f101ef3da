/**
 * The observatory's computations a coordinator starts: the directory's indicators (places, programmes, access
 * time) and the surveys' aggregates. Each answers with its result, or with a job followed until it ends.
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
  queued: "en attente",
  pending: "en attente",
  started: "en cours",
  done: "terminé",
  error: "échoué",
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

function JobState({ job }: { job: Job }) {
  const progress = progressOf(job);
  const running = RUNNING.has(job.status);
  const result = importOf(job.result) ?? importOf(job.resultat) ?? importOf(job.import) ?? importOf(job);
  return (
    <div className="fr-mb-3w">
      <p>
        Calcul{" "}
        <Badge
          severity={
            running ? "info" : job.status === "succeeded" || job.status === "done" ? "success" : "warning"
          }
          small
          noIcon
        >
          {JOB_LABELS[job.status] ?? job.status}
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
      {!running && result && <Result result={result} />}
      {!running && !result && typeof job.import_id === "string" && (
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
  const [result, setResult] = useState<ImportOut>();
  const [job, setJob] = useState<Job>();
  const stop = useRef<AbortController>(undefined);
  useEffect(() => () => stop.current?.abort(), []);
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
      stop.current = new AbortController();
      await follow(started.url, setJob, stop.current.signal);
    });
  return { busy, problem, result, job, launch };
}

function DirectoryComputation() {
  const { busy, problem, result, job, launch } = useComputation();
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
        {job && <JobState job={job} />}
        {result && <Result result={result} />}
      </div>
    </section>
  );
}

function SurveysComputation() {
  const { busy, problem, result, job, launch } = useComputation();
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
        {job && <JobState job={job} />}
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
        Chaque calcul publie une nouvelle version de ses indicateurs ; la précédente reste consultable dans{" "}
        <Link to="/administration/observatoire">les données de l'observatoire</Link>.
      </p>
      <DirectoryComputation />
      <SurveysComputation />
    </RequireScope>
  );
}

import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useEffect, useState } from "react";
import { Link } from "react-router";

import { api, unwrap } from "../../../api/client";
import { fieldMessages } from "../../../api/problem";
import type { components } from "../../../api/schema";
import { DataTable } from "../../../components/DataTable";
import { JobCounts, JobStatus } from "../../../components/JobSummary";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { RequireScope } from "../../../components/RequireScope";
import { formatDateTime } from "../../../lib/format";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useSubmit } from "../../../lib/useSubmit";
import { JOB_STATUS_LABELS } from "../../../lib/issues";
import { personName } from "../../../lib/people";

type Job = components["schemas"]["DirectoryJobOut"];
const POLL_MS = 2000;
const FORMATS = [
  ["", "Détecter"],
  ["standard-csv", "CSV du standard national"],
  ["standard-json", "JSON du standard national"],
  ["data-inclusion-json", "JSON data·inclusion"],
] as const;

function ImportForm({ onStarted }: { onStarted: (job: Job) => void }) {
  const [source, setSource] = useState("");
  const [format, setFormat] = useState("");
  const [complete, setComplete] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const { busy, problem, setProblem, run } = useSubmit();
  const errors = fieldMessages(problem);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!file) {
      setProblem({
        title: "Aucun fichier choisi",
        status: 0,
        errors: [{ field: "fichier", reason: "choisissez le fichier à importer" }],
      });
      return;
    }
    void run(async () => {
      const isJson = file.name.toLowerCase().endsWith(".json") || format.endsWith("json");
      const job = await unwrap(
        api.POST("/api/directory/sync/imports", {
          params: {
            query: { source, complet: complete, ...(format ? { format: format as "standard-csv" } : {}) },
          },
          // The file goes as the request body, as it is: the service reads CSV and JSON itself.
          body: (await file.text()) as never,
          bodySerializer: (body: unknown) => body as string,
          headers: { "content-type": isJson ? "application/json" : "text/csv" },
        }),
      );
      onStarted(job);
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <h2 className="fr-h4">Importer un fichier de lieux</h2>
      <ProblemAlert
        problem={problem}
        fieldLabels={{ source: "Nom de la source", fichier: "Fichier", format: "Format" }}
        focus
      />
      <Input
        label="Nom de la source"
        hintText="En minuscules, chiffres et tirets : ex. « cd73-france-services ». Un nouvel import de la même source met ses lieux à jour."
        state={errors.source ? "error" : "default"}
        stateRelatedMessage={errors.source}
        nativeInputProps={{
          name: "source",
          value: source,
          onChange: (event) => setSource(event.target.value),
        }}
      />
      <Select
        label="Format"
        nativeSelectProps={{ value: format, onChange: (event) => setFormat(event.target.value) }}
      >
        {FORMATS.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </Select>
      <Upload
        label="Fichier"
        hint="CSV ou JSON du standard national des lieux de médiation numérique, ou JSON data·inclusion."
        state={errors.fichier ? "error" : "default"}
        stateRelatedMessage={errors.fichier}
        nativeInputProps={{
          name: "fichier",
          accept: ".csv,.json,text/csv,application/json",
          onChange: (event) => setFile(event.target.files?.[0] ?? null),
        }}
      />
      <Checkbox
        options={[
          {
            label: "Ce fichier liste tous les lieux de cette source",
            hintText: "Les lieux de la source absents du fichier seront retirés de l'annuaire.",
            nativeInputProps: { checked: complete, onChange: () => setComplete(!complete) },
          },
        ]}
      />
      <Button type="submit" disabled={busy} iconId="fr-icon-upload-line">
        Importer
      </Button>
    </form>
  );
}

function Sync() {
  usePageTitle("Synchronisation de l'annuaire");
  const jobs = useResource("jobs", (signal) =>
    unwrap(api.GET("/api/directory/sync/taches", { params: { query: { size: 20 } }, signal })),
  );
  const sources = useResource("sources", (signal) =>
    unwrap(api.GET("/api/directory/sync/sources", { signal })),
  );
  const [started, setStarted] = useState<Job>();
  const actions = useSubmit();
  const running = jobs.data?.items.some((job) => job.statut === "en_cours") ?? false;
  const reloadJobs = jobs.reload;
  const reloadSources = sources.reload;

  // While a run is in progress its counts move: follow them, and stop once every run has ended.
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => {
      reloadJobs();
      reloadSources();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [running, reloadJobs, reloadSources]);

  const refresh = () => {
    jobs.reload();
    sources.reload();
  };
  const startSource = (name: string) =>
    void actions.run(async () => {
      setStarted(
        await unwrap(
          api.POST("/api/directory/sync/sources/{source}/taches", { params: { path: { source: name } } }),
        ),
      );
      refresh();
    });
  const cancel = (id: string) =>
    void actions.run(async () => {
      await unwrap(
        api.POST("/api/directory/sync/taches/{job_id}/annulation", { params: { path: { job_id: id } } }),
      );
      refresh();
    });
  const startedNow = started && jobs.data?.items.find((job) => job.id === started.id);

  return (
    <>
      <h1>Synchronisation de l'annuaire</h1>
      <p>
        Les lieux viennent de DORA, de Mednum73 et de fichiers au standard national. Voir aussi :{" "}
        <Link to="/administration/synchronisation/revue">doublons à examiner</Link>,{" "}
        <Link to="/administration/synchronisation/quarantaine">enregistrements en quarantaine</Link>,{" "}
        <Link to="/administration/synchronisation/rapprochement">rapport de rapprochement</Link>.
      </p>
      <ProblemAlert problem={actions.problem} focus />
      {startedNow && (
        <div className="fr-mb-3w">
          {/* The DSFR alert is itself a live region (status, or alert for errors). */}
          <Alert
            severity={
              startedNow.statut === "en_cours"
                ? "info"
                : startedNow.statut === "reussie"
                  ? "success"
                  : "warning"
            }
            small
            description={
              <>
                Exécution « {startedNow.source} » : <JobStatus status={startedNow.statut} /> —{" "}
                <JobCounts job={startedNow} />
              </>
            }
          />
        </div>
      )}

      <h2 className="fr-h4">Sources</h2>
      <ProblemAlert problem={sources.problem} unavailable="La liste des sources" onRetry={sources.reload} />
      {sources.data && (
        <div className="fr-table fr-table--bordered fr-table--no-caption">
          <table>
            <caption>Sources de lieux</caption>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Dernière exécution</th>
                <th scope="col">Prochaine exécution</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {sources.data.map((source) => (
                <tr key={source.nom}>
                  <td>
                    {source.libelle}
                    <br />
                    <code>{source.nom}</code>
                  </td>
                  <td>
                    {source.derniere_tache ? (
                      <>
                        <JobStatus status={source.derniere_tache.statut} />{" "}
                        {formatDateTime(source.derniere_tache.commence_le)}
                      </>
                    ) : (
                      "jamais"
                    )}
                  </td>
                  <td>
                    {source.prochaine_execution_le
                      ? formatDateTime(source.prochaine_execution_le)
                      : source.configuree
                        ? "à la demande"
                        : "non configurée"}
                  </td>
                  <td>
                    {source.configuree && (
                      <Button
                        size="small"
                        priority="secondary"
                        onClick={() => startSource(source.nom)}
                        disabled={actions.busy || source.derniere_tache?.statut === "en_cours"}
                      >
                        Synchroniser « {source.libelle} »
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 className="fr-h4">Dernières exécutions</h2>
      <ProblemAlert problem={jobs.problem} unavailable="Le suivi des imports" onRetry={jobs.reload} />
      {jobs.loading && !jobs.data && <Loading />}
      {jobs.data && (
        <DataTable
          caption={`Les ${jobs.data.items.length} dernières exécutions sur ${jobs.data.total}`}
          empty="Aucune exécution pour l'instant."
          rows={jobs.data.items}
          rowKey={(job) => job.id}
          initialSort={{ key: "Démarrée", direction: "descending" }}
          columns={[
            { label: "Source", render: (job) => job.source, sortValue: (job) => job.source },
            {
              label: "Démarrée",
              render: (job) => (
                <>
                  {formatDateTime(job.commence_le)}
                  <br />
                  <span className="fr-text--xs">par {personName(job.cree_par)}</span>
                </>
              ),
              sortValue: (job) => job.commence_le,
            },
            {
              label: "État",
              render: (job) => (
                <>
                  <JobStatus status={job.statut} />
                  {job.message && <p className="fr-text--xs fr-mb-0">{job.message}</p>}
                </>
              ),
              sortValue: (job) => JOB_STATUS_LABELS[job.statut] ?? job.statut,
            },
            { label: "Résultat", render: (job) => <JobCounts job={job} /> },
            {
              label: "Action",
              render: (job) => (
                <>
                  {job.statut === "en_cours" && !job.annulation_demandee && (
                    <Button
                      size="small"
                      priority="secondary"
                      onClick={() => cancel(job.id)}
                      disabled={actions.busy}
                    >
                      Annuler
                    </Button>
                  )}
                  {job.annulation_demandee && job.statut === "en_cours" && "annulation demandée"}
                </>
              ),
            },
          ]}
        />
      )}

      <ImportForm
        onStarted={(job) => {
          setStarted(job);
          refresh();
        }}
      />
    </>
  );
}

export default function SyncPage() {
  return (
    <RequireScope scope="sync:run">
      <Sync />
    </RequireScope>
  );
}

/** One training session: its registrations, attendance and completion. */
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type FormEvent, useState } from "react";
import { useLocation, useParams } from "react-router";

import { api, unwrap } from "../../../api/client";
import type { NetworkRegistration, NetworkTraining } from "../../../api/types";
import { ConfirmButton } from "../../../components/admin/ConfirmDialog";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { fieldStates, optionalText } from "../../../lib/adminForms";
import { formatDateTime } from "../../../lib/format";
import { AUDIENCES, PROGRAMMES } from "../../../lib/network";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useEditSwitch } from "../../../lib/useFormFields";
import { useSubmit } from "../../../lib/useSubmit";
import { ifMatch } from "../../../lib/versions";
import { ADMIN_SEGMENTS, NetworkManagers } from "./NetworkManagers";
import { TrainingForm } from "./TrainingsAdminPage";

const REGISTRATION_LABELS = {
  personne_id: "Personne du réseau",
  nom_participant: "Prénom et nom",
  structure_participant: "Structure",
  presence: "Présence",
  achevement: "Formation achevée",
};

function RegisterForm({ training, onDone }: { training: NetworkTraining; onDone: () => void }) {
  const people = useResource("network-people-all", (signal) =>
    unwrap(api.GET("/api/network/personnes", { params: { query: { size: 200, actif: true } }, signal })),
  );
  const [form, setForm] = useState({ personne_id: "", nom_participant: "", structure_participant: "" });
  const { busy, problem, run } = useSubmit();
  const state = fieldStates(problem);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const body = form.personne_id
        ? { personne_id: form.personne_id, achevement: false }
        : {
            nom_participant: form.nom_participant,
            structure_participant: optionalText(form.structure_participant),
            achevement: false,
          };
      await unwrap(
        api.POST("/api/network/formations/{training_id}/inscriptions", {
          params: { path: { training_id: training.id } },
          body,
        }),
      );
      setForm({ personne_id: "", nom_participant: "", structure_participant: "" });
      onDone();
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="inscrire-titre" className="fr-mt-4w">
      <h2 id="inscrire-titre">Inscrire quelqu'un</h2>
      <ProblemAlert problem={problem} fieldLabels={REGISTRATION_LABELS} focus />
      <Select
        label={REGISTRATION_LABELS.personne_id}
        hint="Une personne enregistrée dans le réseau…"
        {...state("personne_id")}
        nativeSelectProps={{
          value: form.personne_id,
          onChange: (event) => setForm({ ...form, personne_id: event.target.value }),
        }}
      >
        <option value="">Personne hors du réseau (saisir son nom ci-dessous)</option>
        {people.data?.items.map((person) => (
          <option key={person.id} value={person.id}>
            {person.prenom} {person.nom}
          </option>
        ))}
      </Select>
      {!form.personne_id && (
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label={REGISTRATION_LABELS.nom_participant}
              hintText="… ou quelqu'un d'autre : son nom seulement"
              {...state("nom_participant")}
              nativeInputProps={{
                autoComplete: "off",
                value: form.nom_participant,
                onChange: (event) => setForm({ ...form, nom_participant: event.target.value }),
              }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label={REGISTRATION_LABELS.structure_participant}
              hintText="Facultative"
              nativeInputProps={{
                value: form.structure_participant,
                onChange: (event) => setForm({ ...form, structure_participant: event.target.value }),
              }}
            />
          </div>
        </div>
      )}
      <Button type="submit" disabled={busy} className="fr-mt-1w">
        Inscrire
      </Button>
    </form>
  );
}

function Registrations({
  training,
  registrations,
  onChange,
}: {
  training: NetworkTraining;
  registrations: NetworkRegistration[];
  onChange: () => void;
}) {
  const { problem, run } = useSubmit();
  const begun = new Date(training.debut) <= new Date();
  const update = (
    registration: NetworkRegistration,
    body: { presence?: boolean | null; achevement?: boolean },
  ) =>
    void run(async () => {
      await unwrap(
        api.PATCH("/api/network/formations/{training_id}/inscriptions/{registration_id}", {
          params: { path: { training_id: training.id, registration_id: registration.id } },
          body,
        }),
      );
      onChange();
    });
  const remove = async (registration: NetworkRegistration) => {
    await unwrap(
      api.DELETE("/api/network/formations/{training_id}/inscriptions/{registration_id}", {
        params: { path: { training_id: training.id, registration_id: registration.id } },
      }),
    );
    onChange();
  };
  if (registrations.length === 0) return <p>Personne n'est inscrit pour l'instant.</p>;
  return (
    <>
      <ProblemAlert problem={problem} fieldLabels={REGISTRATION_LABELS} focus />
      {!begun && (
        <p className="fr-text--sm">Présence et achèvement se notent une fois la session commencée.</p>
      )}
      <div className="fr-table fr-table--no-caption">
        <div className="fr-table__wrapper">
          <div className="fr-table__container">
            <div className="fr-table__content">
              <table>
                <caption>Inscriptions</caption>
                <thead>
                  <tr>
                    <th scope="col">Participant</th>
                    <th scope="col">Structure</th>
                    <th scope="col">Présent</th>
                    <th scope="col">A achevé la formation</th>
                    <th scope="col">Inscription</th>
                  </tr>
                </thead>
                <tbody>
                  {registrations.map((registration) => {
                    const name = registration.nom ?? "Personne effacée";
                    return (
                      <tr key={registration.id}>
                        <th scope="row">{name}</th>
                        <td>{registration.structure ?? "—"}</td>
                        <td>
                          <div className="fr-checkbox-group fr-checkbox-group--sm">
                            <input
                              type="checkbox"
                              id={`presence-${registration.id}`}
                              disabled={!begun}
                              checked={registration.presence === true}
                              onChange={(event) => update(registration, { presence: event.target.checked })}
                            />
                            <label className="fr-label" htmlFor={`presence-${registration.id}`}>
                              <span className="fr-sr-only">{name} : </span>présent
                            </label>
                          </div>
                        </td>
                        <td>
                          <div className="fr-checkbox-group fr-checkbox-group--sm">
                            <input
                              type="checkbox"
                              id={`achevement-${registration.id}`}
                              disabled={!begun || registration.presence !== true}
                              checked={registration.achevement}
                              onChange={(event) => update(registration, { achevement: event.target.checked })}
                            />
                            <label className="fr-label" htmlFor={`achevement-${registration.id}`}>
                              <span className="fr-sr-only">{name} : </span>achevée
                            </label>
                          </div>
                        </td>
                        <td>
                          <ConfirmButton
                            label={`Retirer ${name}`}
                            title={`Retirer l'inscription de ${name} ?`}
                            confirmLabel="Retirer"
                            onConfirm={() => remove(registration)}
                          >
                            L'inscription est supprimée.
                          </ConfirmButton>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      </div>
    </>
  );
}

function Training({ id }: { id: string }) {
  const location = useLocation();
  const message = (location.state as { message?: string } | null)?.message;
  const found = useResource(`network-training:${id}`, (signal) =>
    unwrap(
      api.GET("/api/network/formations/{training_id}", { params: { path: { training_id: id } }, signal }),
    ),
  );
  const registrations = useResource(`network-registrations:${id}`, (signal) =>
    unwrap(
      api.GET("/api/network/formations/{training_id}/inscriptions", {
        params: { path: { training_id: id } },
        signal,
      }),
    ),
  );
  const { problem, setProblem, run } = useSubmit();
  const training = found.data;
  usePageTitle(training?.titre ?? "Session de formation");
  const refresh = () => {
    found.reload();
    registrations.reload();
  };
  const edit = useEditSwitch(refresh);
  // After a 412: the session as saved now (the form, if open, starts again from it).
  const reload = () => {
    setProblem(undefined);
    refresh();
  };
  const cancel = () =>
    void run(async () => {
      await unwrap(
        api.PATCH("/api/network/formations/{training_id}", {
          params: { path: { training_id: id }, header: ifMatch(found.data!) },
          body: { annulee: true },
        }),
      );
      refresh();
    });
  if (found.problem) return <ProblemAlert problem={found.problem} />;
  if (!training) return <Loading />;
  return (
    <>
      <Breadcrumb
        currentPageLabel={training.titre}
        segments={[
          ...ADMIN_SEGMENTS,
          { label: "Formations", linkProps: { to: "/administration/reseau/formations" } },
        ]}
      />
      <h1>{training.titre}</h1>
      {message && !edit.saved && (
        <Alert severity="success" small description={message} className="fr-mb-2w" />
      )}
      <div role="status">
        {edit.saved && <p className="fr-alert fr-alert--success fr-alert--sm fr-mb-2w">Session modifiée.</p>}
      </div>
      {training.annulee && (
        <Alert severity="warning" small description="Cette session est annulée." className="fr-mb-2w" />
      )}
      <ProblemAlert problem={problem} onReload={reload} />
      <ul>
        <li>Public : {AUDIENCES[training.public]}</li>
        {training.programme && <li>Programme : {PROGRAMMES[training.programme]}</li>}
        <li>
          Du {formatDateTime(training.debut)} au {formatDateTime(training.fin)}
        </li>
        <li>
          Où : {[training.lieu_nom, training.adresse, training.commune_nom].filter(Boolean).join(", ") || "—"}
        </li>
        <li>
          {training.inscrits} inscrit(s){training.capacite ? ` pour ${training.capacite} places` : ""},{" "}
          {training.presents} présent(s), {training.formes} formé(s)
        </li>
      </ul>
      {!training.annulee && !edit.editing && (
        <Button priority="secondary" iconId="fr-icon-edit-line" onClick={edit.open}>
          Modifier la session
        </Button>
      )}
      {edit.editing && (
        <TrainingForm
          key={training.version}
          editing={training}
          onCancel={edit.cancel}
          onSaved={edit.done}
          onReload={refresh}
        />
      )}
      <h2 className="fr-mt-4w">Inscriptions</h2>
      {registrations.problem ? (
        <ProblemAlert problem={registrations.problem} />
      ) : !registrations.data ? (
        <Loading />
      ) : (
        <Registrations training={training} registrations={registrations.data} onChange={refresh} />
      )}
      {!training.annulee && <RegisterForm training={training} onDone={refresh} />}
      {!training.annulee && (
        <div className="fr-mt-6w">
          <ConfirmButton
            label="Annuler la session"
            title="Annuler cette session ?"
            confirmLabel="Annuler la session"
            onConfirm={cancel}
          >
            Elle ne prendra plus d'inscriptions et ne comptera plus parmi les sessions tenues.
          </ConfirmButton>
        </div>
      )}
    </>
  );
}

export default function TrainingAdminPage() {
  const { id } = useParams();
  return <NetworkManagers>{id && <Training id={id} />}</NetworkManagers>;
}

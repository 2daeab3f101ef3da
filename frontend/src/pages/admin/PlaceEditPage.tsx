import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";

import { api, unwrap, unwrapWithEtag } from "../../api/client";
import { ApiProblem, fieldMessages, problemOf } from "../../api/problem";
import type { Place } from "../../api/types";
import { CommunePicker } from "../../components/CommunePicker";
import { Loading } from "../../components/Loading";
import { OpeningHoursEditor } from "../../components/OpeningHoursEditor";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RequireScope } from "../../components/RequireScope";
import {
  CHOICE_FIELDS,
  FIELD_LABELS,
  type FormValues,
  TEXT_FIELDS,
  changedFields,
  displayValue,
  emptyForm,
  formFromPlace,
  payloadFromForm,
} from "../../lib/placeForm";
import { usePageTitle } from "../../lib/usePageTitle";
import { useSubmit } from "../../lib/useSubmit";

interface Loaded {
  place: Place;
  etag: string;
}

interface Conflict {
  latest: Loaded;
  mine: Record<string, unknown>;
}

async function loadPlace(id: string): Promise<Loaded> {
  const { data, etag } = await unwrapWithEtag(
    api.GET("/api/directory/lieux/{place_id}", { params: { path: { place_id: id } } }),
  );
  return { place: data, etag };
}

function ConflictMessage({
  conflict,
  onReapply,
  onDiscard,
  busy,
}: {
  conflict: Conflict;
  onReapply: () => void;
  onDiscard: () => void;
  busy: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const current = payloadFromForm(formFromPlace(conflict.latest.place));
  return (
    <div ref={ref} tabIndex={-1} className="fr-mb-4w">
      <Alert
        severity="warning"
        title="Quelqu'un d'autre a modifié ce lieu pendant que vous le modifiiez"
        description={
          <>
            <p>
              Vos modifications n'ont pas été enregistrées, pour ne pas effacer les siennes. Comparez, puis
              choisissez.
            </p>
            <div className="fr-table fr-table--bordered">
              <table>
                <caption>Champs que vous avez modifiés</caption>
                <thead>
                  <tr>
                    <th scope="col">Champ</th>
                    <th scope="col">Votre saisie</th>
                    <th scope="col">Version enregistrée maintenant</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(conflict.mine).map(([name, value]) => (
                    <tr key={name}>
                      <th scope="row">{FIELD_LABELS[name] ?? name}</th>
                      <td>{displayValue(value)}</td>
                      <td>{displayValue(current[name])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ul className="fr-btns-group fr-btns-group--inline-md">
              <li>
                <Button onClick={onReapply} disabled={busy}>
                  Appliquer mes modifications à la version actuelle
                </Button>
              </li>
              <li>
                <Button priority="secondary" onClick={onDiscard} disabled={busy}>
                  Abandonner mes modifications
                </Button>
              </li>
            </ul>
          </>
        }
      />
    </div>
  );
}

function PlaceForm({ id }: { id?: string }) {
  const navigate = useNavigate();
  const [loaded, setLoaded] = useState<Loaded>();
  const [values, setValues] = useState<FormValues>(emptyForm);
  const { busy, problem, setProblem, run } = useSubmit();
  const [conflict, setConflict] = useState<Conflict>();
  usePageTitle(id ? `Modifier ${loaded?.place.nom ?? "un lieu"}` : "Ajouter un lieu");

  // The hours editor keeps its own model: a new version loaded (or a conflict resolved) starts it afresh.
  const [editorGeneration, setEditorGeneration] = useState(0);
  const show = (next: Loaded) => {
    setLoaded(next);
    setValues(formFromPlace(next.place));
    setEditorGeneration((generation) => generation + 1);
  };

  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!id) return;
    loadPlace(id).then(
      (next) => {
        setProblem(undefined);
        show(next);
      },
      (error: unknown) => setProblem(problemOf(error)),
    );
  }, [id, attempt, setProblem]);

  const saved = (place: Place) => navigate(`/lieux/${place.id}`, { state: { saved: true } });

  const patch = async (changes: Record<string, unknown>, etag: string) => {
    const place = await unwrap(
      api.PATCH("/api/directory/lieux/{place_id}", {
        params: { path: { place_id: id! }, header: { "if-match": etag } },
        body: changes,
      }),
    );
    saved(place);
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const payload = payloadFromForm(values);
      if (!id) {
        saved(await unwrap(api.POST("/api/directory/lieux", { body: payload as never })));
        return;
      }
      const changes = changedFields(payloadFromForm(formFromPlace(loaded!.place)), payload);
      if (Object.keys(changes).length === 0) {
        setProblem({ title: "Aucune modification", status: 0, detail: "Vous n'avez changé aucun champ." });
        return;
      }
      try {
        await patch(changes, loaded!.etag);
      } catch (error) {
        if (!(error instanceof ApiProblem && error.status === 412)) throw error;
        setConflict({ latest: await loadPlace(id), mine: changes });
      }
    });
  };

  const reapply = () =>
    void run(async () => {
      const { latest, mine } = conflict!;
      setConflict(undefined);
      setLoaded(latest);
      try {
        await patch(mine, latest.etag);
      } catch (error) {
        if (!(error instanceof ApiProblem && error.status === 412)) throw error;
        setConflict({ latest: await loadPlace(id!), mine });
      }
    });

  const discard = () => {
    show(conflict!.latest);
    setConflict(undefined);
  };

  if (id && !loaded)
    return problem ? (
      <ProblemAlert
        problem={problem}
        unavailable="La fiche du lieu"
        onRetry={() => setAttempt((value) => value + 1)}
      />
    ) : (
      <Loading />
    );
  const errors = fieldMessages(problem);
  const setValue = (name: string, value: string | string[]) =>
    setValues((previous) => ({ ...previous, [name]: value }));

  return (
    <>
      <h1>{id ? `Modifier « ${loaded!.place.nom} »` : "Ajouter un lieu"}</h1>
      <p>
        Les champs marqués d'un astérisque (*) sont obligatoires. Ils suivent le standard national des lieux
        de médiation numérique.
      </p>
      {id && (
        <p>
          <Link to={`/administration/lieux/${id}`}>Retrait, provenance des champs et fusions de ce lieu</Link>
        </p>
      )}
      {conflict && (
        <ConflictMessage conflict={conflict} onReapply={reapply} onDiscard={discard} busy={busy} />
      )}
      <ProblemAlert problem={problem} fieldLabels={FIELD_LABELS} focus />
      <form onSubmit={submit} noValidate>
        {TEXT_FIELDS.map((field) => {
          const common = {
            label: `${field.label}${field.required ? " *" : ""}`,
            hintText: field.hint,
            state: errors[field.name] ? ("error" as const) : ("default" as const),
            stateRelatedMessage: errors[field.name],
          };
          const value = String(values[field.name] ?? "");
          if (field.kind === "commune-name") return null;
          if (field.kind === "commune") {
            const message = errors[field.name] ?? errors.commune;
            return (
              <CommunePicker
                key={`${field.name}-${editorGeneration}`}
                label={field.label}
                hintText={field.hint}
                code={value}
                name={String(values.commune ?? "") || null}
                state={message ? "error" : "default"}
                stateRelatedMessage={message}
                onChange={(code, name) =>
                  setValues((previous) => ({ ...previous, code_insee: code, commune: name ?? "" }))
                }
              />
            );
          }
          if (field.kind === "hours") {
            return (
              <OpeningHoursEditor
                key={`${field.name}-${editorGeneration}`}
                value={value}
                error={errors[field.name]}
                onChange={(expression) => setValue(field.name, expression)}
              />
            );
          }
          if (field.kind === "textarea" || field.kind === "lines") {
            return (
              <Input
                key={field.name}
                {...common}
                textArea
                nativeTextAreaProps={{
                  name: field.name,
                  value,
                  rows: field.kind === "lines" ? 2 : 4,
                  onChange: (event) => setValue(field.name, event.target.value),
                }}
              />
            );
          }
          return (
            <Input
              key={field.name}
              {...common}
              nativeInputProps={{
                name: field.name,
                value,
                type: field.kind === "date" ? "date" : "text",
                inputMode: field.inputMode,
                required: field.required,
                onChange: (event) => setValue(field.name, event.target.value),
              }}
            />
          );
        })}
        <div className="fr-accordions-group fr-mb-4w">
          {CHOICE_FIELDS.map((field) => {
            const selected = values[field.name] as string[];
            return (
              <Accordion
                key={field.name}
                label={`${field.label} (${selected.length})`}
                defaultExpanded={Boolean(errors[field.name])}
              >
                <Checkbox
                  legend={field.label}
                  small
                  state={errors[field.name] ? "error" : "default"}
                  stateRelatedMessage={errors[field.name]}
                  options={field.values.map((value) => ({
                    label: value,
                    nativeInputProps: {
                      name: field.name,
                      value,
                      checked: selected.includes(value),
                      onChange: () =>
                        setValue(
                          field.name,
                          selected.includes(value)
                            ? selected.filter((item) => item !== value)
                            : [...selected, value],
                        ),
                    },
                  }))}
                />
              </Accordion>
            );
          })}
        </div>
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Button type="submit" disabled={busy}>
              Enregistrer
            </Button>
          </li>
          <li>
            <Link className="fr-btn fr-btn--secondary" to={id ? `/lieux/${id}` : "/administration"}>
              Annuler
            </Link>
          </li>
        </ul>
      </form>
    </>
  );
}

export default function PlaceEditPage() {
  const { id } = useParams();
  return (
    <RequireScope scope="directory:write">
      <PlaceForm key={id ?? "new"} id={id} />
    </RequireScope>
  );
}

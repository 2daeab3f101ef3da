/** One event as coordinators manage it: publish or cancel it, and count participants and partners afterwards. */
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { type FormEvent, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";

import { api, unwrap } from "../../../api/client";
import type { NetworkEvent } from "../../../api/types";
import { ConfirmButton } from "../../../components/admin/ConfirmDialog";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { fieldStates, numberText, typedNumber } from "../../../lib/adminForms";
import { EVENT_TYPES, eventWhen, eventWhere } from "../../../lib/network";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useEditSwitch } from "../../../lib/useFormFields";
import { useSubmit } from "../../../lib/useSubmit";
import { ifMatch } from "../../../lib/versions";
import { EventForm } from "./EventsAdminPage";
import { ADMIN_SEGMENTS, NetworkManagers } from "./NetworkManagers";

function ReportForm({ event, onDone }: { event: NetworkEvent; onDone: () => void }) {
  const [form, setForm] = useState({
    participants: numberText(event.participants),
    partenaires: numberText(event.partenaires),
  });
  const [saved, setSaved] = useState(false);
  const { busy, problem, setProblem, run } = useSubmit();
  const state = fieldStates(problem);
  const submit = (formEvent: FormEvent) => {
    formEvent.preventDefault();
    setSaved(false);
    void run(async () => {
      await unwrap(
        api.PUT("/api/network/evenements/{event_id}/bilan", {
          params: { path: { event_id: event.id }, header: ifMatch(event) },
          body: {
            participants: typedNumber(form.participants) as number,
            partenaires: typedNumber(form.partenaires) as number,
          },
        }),
      );
      setSaved(true);
      onDone();
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="bilan-titre" className="fr-mt-4w">
      <h2 id="bilan-titre">Bilan de l'événement</h2>
      <ProblemAlert
        problem={problem}
        fieldLabels={{ participants: "Participants", partenaires: "Structures partenaires" }}
        focus
        onReload={() => {
          setProblem(undefined);
          onDone();
        }}
      />
      {saved && (
        <p role="status" className="fr-alert fr-alert--success fr-alert--sm">
          Bilan enregistré.
        </p>
      )}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label="Participants"
            hintText="Personnes venues"
            {...state("participants")}
            nativeInputProps={{
              inputMode: "numeric",
              value: form.participants,
              onChange: (e) => setForm({ ...form, participants: e.target.value }),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label="Structures partenaires"
            hintText="Présentes ou associées"
            {...state("partenaires")}
            nativeInputProps={{
              inputMode: "numeric",
              value: form.partenaires,
              onChange: (e) => setForm({ ...form, partenaires: e.target.value }),
            }}
          />
        </div>
      </div>
      <Button type="submit" disabled={busy}>
        Enregistrer le bilan
      </Button>
    </form>
  );
}

function EventAdmin({ id }: { id: string }) {
  const location = useLocation();
  const message = (location.state as { message?: string } | null)?.message;
  const found = useResource(`network-event-admin:${id}`, (signal) =>
    unwrap(api.GET("/api/network/evenements/{event_id}", { params: { path: { event_id: id } }, signal })),
  );
  const { busy, problem, setProblem, run } = useSubmit();
  const navigate = useNavigate();
  const edit = useEditSwitch(found.reload);
  const event = found.data;
  usePageTitle(event?.titre ?? "Événement");
  const change = (body: { publie?: boolean; annule?: boolean }) =>
    run(async () => {
      await unwrap(
        api.PATCH("/api/network/evenements/{event_id}", {
          params: { path: { event_id: id }, header: ifMatch(found.data!) },
          body,
        }),
      );
      found.reload();
    });
  if (found.problem) return <ProblemAlert problem={found.problem} />;
  if (!event) return <Loading />;
  const held = new Date(event.debut) <= new Date();
  return (
    <>
      <Breadcrumb
        currentPageLabel={event.titre}
        segments={[
          ...ADMIN_SEGMENTS,
          { label: "Agenda des événements", linkProps: { to: "/administration/reseau/evenements" } },
        ]}
      />
      <h1>{event.titre}</h1>
      {message && !edit.saved && (
        <Alert severity="success" small description={message} className="fr-mb-2w" />
      )}
      <div role="status">
        {edit.saved && <p className="fr-alert fr-alert--success fr-alert--sm fr-mb-2w">Événement modifié.</p>}
      </div>
      {event.annule && (
        <Alert
          severity="warning"
          small
          description="Cet événement est annulé : l'agenda et le flux iCalendar le disent."
          className="fr-mb-2w"
        />
      )}
      <ProblemAlert
        problem={problem}
        onReload={() => {
          setProblem(undefined);
          found.reload();
        }}
      />
      <ul>
        <li>{EVENT_TYPES[event.type]}</li>
        <li>{eventWhen(event.debut, event.fin)}</li>
        <li>{eventWhere(event)}</li>
        <li>{event.publie ? "Publié dans l'agenda" : "Brouillon (non publié)"}</li>
      </ul>
      <ul className="fr-btns-group fr-btns-group--inline-md">
        {event.publie && !event.annule && (
          <li>
            <Link className="fr-btn fr-btn--tertiary" to={`/agenda/${event.id}`}>
              Voir sa page publique
            </Link>
          </li>
        )}
        {!event.annule && !edit.editing && (
          <li>
            <Button priority="secondary" iconId="fr-icon-edit-line" onClick={edit.open}>
              Modifier l'événement
            </Button>
          </li>
        )}
        {!event.annule && (
          <li>
            <Button
              priority="secondary"
              disabled={busy}
              onClick={() => void change({ publie: !event.publie })}
            >
              {event.publie ? "Repasser en brouillon" : "Publier dans l'agenda"}
            </Button>
          </li>
        )}
        {!event.annule && (
          <li>
            <ConfirmButton
              label="Annuler l'événement"
              title="Annuler cet événement ?"
              confirmLabel="Annuler l'événement"
              onConfirm={() => change({ annule: true })}
            >
              Il reste dans l'agenda, marqué annulé, et les agendas abonnés le verront annulé.
            </ConfirmButton>
          </li>
        )}
        <li>
          <ConfirmButton
            label="Supprimer l'événement"
            title="Supprimer cet événement ?"
            confirmLabel="Supprimer définitivement"
            onConfirm={() =>
              run(async () => {
                await unwrap(
                  api.DELETE("/api/network/evenements/{event_id}", {
                    params: { path: { event_id: id }, header: ifMatch(event) },
                  }),
                );
                navigate("/administration/reseau/evenements", {
                  state: { message: `« ${event.titre} » est supprimé.` },
                });
              })
            }
          >
            Pour un événement saisi par erreur : il disparaît de l'agenda et des comptes. S'il a été annoncé,
            annulez-le plutôt.
          </ConfirmButton>
        </li>
      </ul>
      {edit.editing && (
        <EventForm
          key={event.version}
          editing={event}
          onCancel={edit.cancel}
          onSaved={edit.done}
          onReload={found.reload}
        />
      )}
      {held && !event.annule ? (
        <ReportForm event={event} onDone={found.reload} />
      ) : (
        !event.annule && <p>Le bilan (participants, partenaires) se saisit une fois l'événement commencé.</p>
      )}
    </>
  );
}

export default function EventAdminPage() {
  const { id } = useParams();
  return <NetworkManagers>{id && <EventAdmin id={id} />}</NetworkManagers>;
}

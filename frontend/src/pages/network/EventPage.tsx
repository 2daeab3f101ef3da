/** One event of the agenda, with its schema.org `Event` data embedded for search engines and agenda aggregators. */
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { useEffect } from "react";
import { Link, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthContext";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { EVENT_TYPES, eventWhen, eventWhere } from "../../lib/network";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";

/** Puts the event's JSON-LD in the page's head while the page is shown. */
function useJsonLd(eventId: string | undefined) {
  useEffect(() => {
    if (!eventId) return;
    const controller = new AbortController();
    let script: HTMLScriptElement | undefined;
    fetch(`/api/network/evenements/${encodeURIComponent(eventId)}/jsonld`, {
      signal: controller.signal,
      credentials: "same-origin",
    })
      .then((response) =>
        response.ok ? response.text() : Promise.reject(new Error(String(response.status))),
      )
      .then((text) => {
        script = document.createElement("script");
        script.type = "application/ld+json";
        script.id = "evenement-jsonld";
        script.text = text;
        document.head.appendChild(script);
      })
      .catch(() => undefined); // the page reads well without it
    return () => {
      controller.abort();
      script?.remove();
    };
  }, [eventId]);
}

export default function EventPage() {
  const { id } = useParams();
  const { can } = useAuth();
  const found = useResource(id ? `event:${id}` : null, (signal) =>
    unwrap(
      api.GET("/api/network/evenements/{event_id}", { params: { path: { event_id: id ?? "" } }, signal }),
    ),
  );
  const event = found.data;
  usePageTitle(event?.titre ?? "Événement");
  useJsonLd(event ? event.id : undefined);
  return (
    <>
      <Breadcrumb
        currentPageLabel={event?.titre ?? "Événement"}
        segments={[{ label: "Agenda", linkProps: { to: "/agenda" } }]}
      />
      {found.problem ? (
        <ProblemAlert problem={found.problem} />
      ) : !event ? (
        <Loading />
      ) : (
        <article>
          <h1>{event.titre}</h1>
          {event.annule && (
            <Alert severity="error" small description="Cet événement est annulé." className="fr-mb-3w" />
          )}
          <ul className="fr-badges-group fr-mb-2w">
            <li>
              <Badge noIcon severity="info">
                {EVENT_TYPES[event.type]}
              </Badge>
            </li>
            <li>
              <Badge noIcon>{event.gratuit ? "Gratuit" : (event.tarif ?? "Payant")}</Badge>
            </li>
          </ul>
          <dl className="fne-event-facts">
            <dt className="fr-text--bold">Quand</dt>
            <dd>{eventWhen(event.debut, event.fin)}</dd>
            <dt className="fr-text--bold">Où</dt>
            <dd>{eventWhere(event)}</dd>
            {event.public && (
              <>
                <dt className="fr-text--bold">Pour qui</dt>
                <dd>{event.public}</dd>
              </>
            )}
            {event.organisateur && (
              <>
                <dt className="fr-text--bold">Organisé par</dt>
                <dd>{event.organisateur}</dd>
              </>
            )}
          </dl>
          {event.description && <p style={{ whiteSpace: "pre-line" }}>{event.description}</p>}
          <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
            {event.lien_inscription && !event.annule && (
              <li>
                <a
                  className="fr-btn"
                  href={event.lien_inscription}
                  target="_blank"
                  rel="noopener noreferrer"
                  title={`S'inscrire à ${event.titre} (nouvelle fenêtre)`}
                >
                  S'inscrire
                </a>
              </li>
            )}
            <li>
              <a
                className="fr-btn fr-btn--secondary fr-icon-calendar-line"
                href={`/api/network/evenements/${event.id}/ics`}
              >
                Ajouter à mon agenda
              </a>
            </li>
            {can("network:write") && (
              <li>
                <Link
                  className="fr-btn fr-btn--tertiary fr-icon-settings-5-line"
                  to={`/administration/reseau/evenements/${event.id}`}
                >
                  Gérer cet événement
                </Link>
              </li>
            )}
          </ul>
          <p>
            <Link to="/agenda" className="fr-link fr-icon-arrow-left-line fr-link--icon-left">
              Tout l'agenda
            </Link>
          </p>
        </article>
      )}
    </>
  );
}

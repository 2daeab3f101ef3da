/** The public agenda: cafés numériques, ateliers, Semaine du numérique, NEC… by commune and type, with its iCalendar feed. */
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type FormEvent, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";

import { api, unwrap } from "../../api/client";
import type { NetworkEvent } from "../../api/types";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { plural } from "../../lib/format";
import { calendarFeed, EVENT_TYPES, eventWhen, eventWhere } from "../../lib/network";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";

const PAGE_SIZE = 50;

export function EventCard({ event }: { event: NetworkEvent }) {
  return (
    <article className="fr-card fr-mb-2w">
      <div className="fr-card__body">
        <div className="fr-card__content">
          <h2 className="fr-card__title fr-h5">
            <Link to={`/agenda/${event.id}`}>{event.titre}</Link>
          </h2>
          <p className="fr-card__desc">
            {eventWhen(event.debut, event.fin)}
            <br />
            {eventWhere(event)}
          </p>
          <div className="fr-card__start">
            <ul className="fr-badges-group">
              <li>
                <Badge small noIcon severity="info">
                  {EVENT_TYPES[event.type]}
                </Badge>
              </li>
              <li>
                <Badge small noIcon>
                  {event.gratuit ? "Gratuit" : (event.tarif ?? "Payant")}
                </Badge>
              </li>
              {event.annule && (
                <li>
                  <Badge small severity="error">
                    Annulé
                  </Badge>
                </li>
              )}
            </ul>
          </div>
          {event.public && <p className="fr-card__end fr-text--sm">Pour qui : {event.public}</p>}
        </div>
      </div>
    </article>
  );
}

function Filters({
  communes,
  commune,
  type,
  onApply,
}: {
  communes: [string, string][];
  commune: string;
  type: string;
  onApply: (commune: string, type: string) => void;
}) {
  const [chosen, setChosen] = useState({ commune, type });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(chosen.commune, chosen.type);
  };
  return (
    <form
      onSubmit={submit}
      aria-label="Filtrer l'agenda"
      className="fr-grid-row fr-grid-row--gutters"
      style={{ alignItems: "flex-end" }}
    >
      <div className="fr-col-12 fr-col-md-5">
        <Select
          label="Commune"
          nativeSelectProps={{
            value: chosen.commune,
            onChange: (e) => setChosen({ ...chosen, commune: e.target.value }),
          }}
        >
          <option value="">Toutes les communes</option>
          {communes.map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </Select>
      </div>
      <div className="fr-col-12 fr-col-md-5">
        <Select
          label="Type d'événement"
          nativeSelectProps={{
            value: chosen.type,
            onChange: (e) => setChosen({ ...chosen, type: e.target.value }),
          }}
        >
          <option value="">Tous les types</option>
          {Object.entries(EVENT_TYPES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </div>
      <div className="fr-col-12 fr-col-md-2 fr-mb-3w">
        <Button type="submit" className="fr-mb-1v">
          Filtrer
        </Button>
      </div>
    </form>
  );
}

export default function AgendaPage() {
  usePageTitle("Agenda");
  const [params, setParams] = useSearchParams();
  const commune = params.get("commune") ?? "";
  const type = params.get("type") ?? "";
  // The communes offered are those where something is coming: nobody picks a commune to find nothing.
  const upcoming = useResource("agenda-communes", (signal) =>
    unwrap(api.GET("/api/network/evenements", { params: { query: { size: 200 } }, signal })),
  );
  const communes = useMemo(() => {
    const names = new Map<string, string>();
    for (const item of upcoming.data?.items ?? []) names.set(item.commune, item.commune_nom ?? item.commune);
    if (commune && !names.has(commune)) names.set(commune, commune);
    return [...names.entries()].sort((a, b) => a[1].localeCompare(b[1], "fr"));
  }, [upcoming.data, commune]);
  const key = `agenda:${commune}:${type}`;
  const found = useResource(key, (signal) =>
    unwrap(
      api.GET("/api/network/evenements", {
        params: {
          query: {
            size: PAGE_SIZE,
            ...(commune ? { commune: [commune] } : {}),
            ...(type ? { type: [type as NetworkEvent["type"]] } : {}),
          },
        },
        signal,
      }),
    ),
  );
  const apply = (nextCommune: string, nextType: string) => {
    const next = new URLSearchParams();
    if (nextCommune) next.set("commune", nextCommune);
    if (nextType) next.set("type", nextType);
    setParams(next);
  };
  const communeName = communes.find(([code]) => code === commune)?.[1];
  return (
    <>
      <h1>Agenda de l'inclusion numérique</h1>
      <p>
        Cafés numériques, ateliers, Semaine du numérique, NEC Savoie, forums : ce qui vient, près de chez
        vous.
      </p>
      <Filters key={`${commune}:${type}`} communes={communes} commune={commune} type={type} onApply={apply} />
      <p className="fr-mt-1w">
        <a className="fr-link fr-icon-calendar-line fr-link--icon-left" href={calendarFeed(commune || null)}>
          S'abonner à l'agenda{communeName ? ` de ${communeName}` : ""} (iCalendar)
        </a>
      </p>
      <div aria-live="polite">
        {found.problem ? (
          <ProblemAlert problem={found.problem} />
        ) : !found.data ? (
          <Loading />
        ) : (
          <>
            <p className="fr-text--bold">{plural(found.data.total, "événement")} à venir</p>
            {found.data.items.length === 0 && <p>Aucun événement à venir pour ces critères.</p>}
          </>
        )}
      </div>
      {found.data?.items.map((event) => (
        <EventCard key={event.id} event={event} />
      ))}
      {found.data && found.data.total > found.data.items.length && (
        <p>Les {PAGE_SIZE} premiers sont affichés : précisez la commune ou le type.</p>
      )}
    </>
  );
}

import { Tag } from "@codegouvfr/react-dsfr/Tag";
import { Link } from "react-router";

import type { Place } from "../api/types";
import { formatDistance, formatPhone } from "../lib/format";
import { todayHours } from "../lib/openingHours";
import { OpeningState } from "./OpeningState";

/**
 * One search result: what a person needs to choose a place and reach it — whether it is open, today's hours,
 * its phone number (a link that calls, from a phone) — and a link to its page.
 */
export function PlaceCard({
  place,
  headingLevel = 3,
  linkTarget,
  number,
}: {
  place: Place;
  headingLevel?: 2 | 3;
  linkTarget?: string;
  /** Its number on the map beside the list (the markers are numbered alike). */
  number?: number;
}) {
  const Heading = `h${headingLevel}` as const;
  const today = todayHours(place.horaires);
  return (
    <article className="fr-card fr-mb-2w fne-place-card">
      <div className="fr-card__body">
        <div className="fr-card__content">
          <Heading className="fr-card__title">
            {number !== undefined && (
              <span className="fne-card-number" aria-hidden="true">
                {number}
              </span>
            )}
            <Link to={`/lieux/${place.id}`} target={linkTarget}>
              {place.nom}
            </Link>
          </Heading>
          <p className="fr-card__desc">
            {place.adresse}, {place.code_postal} {place.commune}
            {place.distance_m !== null && place.distance_m !== undefined && (
              <> · à {formatDistance(place.distance_m)}</>
            )}
          </p>
          <div className="fr-card__start">
            <OpeningState hours={place.hours} />
            {today && <p className="fr-text--sm fr-mb-0 fr-mt-1v">Aujourd'hui : {today}</p>}
          </div>
          <div className="fr-card__end">
            {place.telephone && (
              <p className="fr-mb-1w">
                <a className="fr-link fr-icon-phone-line fr-link--icon-left" href={`tel:${place.telephone}`}>
                  <span className="fr-sr-only">Appeler {place.nom} au </span>
                  {formatPhone(place.telephone)}
                </a>
              </p>
            )}
            {place.services.length > 0 && (
              <ul className="fr-tags-group" aria-label="Services">
                {place.services.slice(0, 3).map((service) => (
                  <li key={service}>
                    <Tag small>{service}</Tag>
                  </li>
                ))}
                {place.services.length > 3 && (
                  <li>
                    <Tag small>+ {place.services.length - 3}</Tag>
                  </li>
                )}
              </ul>
            )}
          </div>
        </div>
      </div>
    </article>
  );
}

import { Tag } from "@codegouvfr/react-dsfr/Tag";
import { Link } from "react-router";

import type { Place } from "../api/types";
import { formatDistance } from "../lib/format";
import { OpeningState } from "./OpeningState";

/** One search result: what a person needs to choose a place, and a link to its page. */
export function PlaceCard({ place, headingLevel = 3, linkTarget }: { place: Place; headingLevel?: 2 | 3; linkTarget?: string }) {
  const Heading = `h${headingLevel}` as const;
  return (
    <article className="fr-card fr-card--horizontal fr-enlarge-link fr-mb-2w">
      <div className="fr-card__body">
        <div className="fr-card__content">
          <Heading className="fr-card__title">
            <Link to={`/lieux/${place.id}`} target={linkTarget}>
              {place.nom}
            </Link>
          </Heading>
          <p className="fr-card__desc">
            {place.adresse}, {place.code_postal} {place.commune}
            {place.distance_m !== null && place.distance_m !== undefined && <> · à {formatDistance(place.distance_m)}</>}
          </p>
          <div className="fr-card__start">
            <OpeningState hours={place.hours} />
          </div>
          {place.services.length > 0 && (
            <div className="fr-card__end">
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
            </div>
          )}
        </div>
      </div>
    </article>
  );
}

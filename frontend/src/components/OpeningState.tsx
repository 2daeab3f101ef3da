import { Badge } from "@codegouvfr/react-dsfr/Badge";

import type { Place } from "../api/types";
import { formatMoment } from "../lib/format";

/** Today's state of a place: open (until when) or closed (until when), or unknown when no hours are given. */
export function OpeningState({ hours, now }: { hours: Place["hours"]; now?: Date }) {
  if (hours.open_now === null || hours.open_now === undefined) {
    return (
      <Badge severity="info" noIcon small>
        Horaires non renseignés
      </Badge>
    );
  }
  if (hours.open_now) {
    return (
      <span>
        <Badge severity="success" small>
          Ouvert
        </Badge>
        {hours.next_closing && (
          <span className="fr-text--sm fr-ml-1w">ferme {formatMoment(hours.next_closing, now)}</span>
        )}
      </span>
    );
  }
  return (
    <span>
      <Badge severity="warning" small>
        Fermé
      </Badge>
      {hours.next_opening && (
        <span className="fr-text--sm fr-ml-1w">ouvre {formatMoment(hours.next_opening, now)}</span>
      )}
    </span>
  );
}

import { formatDate } from "../lib/format";
import { DAY_NAMES, parisWeekday, parseOpeningHours } from "../lib/openingHours";

/** The week's hours as a table (today marked), or the standard's raw text when it says more than a table can. */
export function WeekHours({ horaires, now = new Date() }: { horaires: string; now?: Date }) {
  const week = parseOpeningHours(horaires);
  if (!week) {
    return (
      <p>
        Horaires : <code>{horaires}</code>
      </p>
    );
  }
  const today = parisWeekday(now);
  return (
    <div className="fr-table fr-table--no-caption fr-table--bordered">
      <table>
        <caption>Horaires d'ouverture</caption>
        <thead>
          <tr>
            <th scope="col">Jour</th>
            <th scope="col">Horaires</th>
          </tr>
        </thead>
        <tbody>
          {week.days.map((intervals, index) => (
            <tr key={DAY_NAMES[index]} aria-current={index === today ? "date" : undefined}>
              <th scope="row">
                {index === today ? <strong>{DAY_NAMES[index]} (aujourd'hui)</strong> : DAY_NAMES[index]}
              </th>
              <td>{intervals.length ? intervals.join(", ") : "Fermé"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {week.closedOnHolidays && <p className="fr-text--sm">Fermé les jours fériés.</p>}
      {week.closures.length > 0 && (
        <p className="fr-text--sm">
          Fermetures exceptionnelles :{" "}
          {week.closures
            .map((closure) =>
              closure.to === closure.from
                ? `le ${formatDate(closure.from)}`
                : `du ${formatDate(closure.from)} au ${formatDate(closure.to)}`,
            )
            .join(" ; ")}
          .
        </p>
      )}
    </div>
  );
}

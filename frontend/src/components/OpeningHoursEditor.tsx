import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { useState } from "react";

import {
  DAY_NAMES,
  type HoursModel,
  emptyHours,
  hoursModel,
  hoursProblems,
  toOsm,
} from "../lib/openingHours";

interface Props {
  /** The stored expression (OpenStreetMap syntax). */
  value: string;
  onChange: (expression: string) => void;
  /** The API's message for the field, if the last save was refused. */
  error?: string;
}

const NEW_SLOT = { start: "09:00", end: "12:00" };

/**
 * Opening hours as a person thinks of them — each day's time slots, public holidays, exceptional closures —
 * written in the OpenStreetMap syntax the national standard stores. Nobody types the syntax; an expression too
 * particular for the editor (months, sunrise…) is kept as it is until someone chooses to start over.
 */
export function OpeningHoursEditor({ value, onChange, error }: Props) {
  const [model, setModel] = useState<HoursModel | null>(() => hoursModel(value));
  const problems = model ? hoursProblems(model) : {};

  const change = (next: HoursModel) => {
    setModel(next);
    onChange(toOsm(next));
  };
  const setDay = (day: number, slots: HoursModel["days"][number]) =>
    model &&
    change({ ...model, days: model.days.map((current, index) => (index === day ? slots : current)) });

  if (!model) {
    return (
      <fieldset className="fr-fieldset fr-mb-3w" aria-labelledby="horaires-legende">
        <legend id="horaires-legende" className="fr-fieldset__legend">
          Horaires
        </legend>
        <div className="fr-fieldset__element">
          <p>
            Ces horaires sont plus particuliers que ce que l'éditeur sait montrer (mois, saisons…). Ils sont
            gardés tels quels : <code>{value}</code>
          </p>
          <Button type="button" priority="secondary" size="small" onClick={() => change(emptyHours())}>
            Les remplacer avec l'éditeur
          </Button>
        </div>
      </fieldset>
    );
  }

  return (
    <fieldset className="fr-fieldset fr-mb-3w fne-hours-editor" aria-labelledby="horaires-legende">
      <legend id="horaires-legende" className="fr-fieldset__legend">
        Horaires
        <span className="fr-hint-text">
          Ajoutez les créneaux d'ouverture de chaque jour ; un jour sans créneau est fermé. Sans aucun
          créneau, les horaires sont « non renseignés ».
        </span>
      </legend>
      {error && (
        <div className="fr-fieldset__element">
          <p className="fr-error-text fr-mt-0">{error}</p>
        </div>
      )}
      {model.days.map((slots, day) => (
        <div
          key={DAY_NAMES[day]}
          className="fr-fieldset__element fne-hours-day"
          role="group"
          aria-labelledby={`jour-${day}`}
        >
          <p id={`jour-${day}`} className="fr-text--bold fr-mb-1w">
            {DAY_NAMES[day]}{" "}
            {slots.length === 0 && <span className="fr-text--regular fr-text--sm">: fermé</span>}
          </p>
          {slots.map((slot, index) => {
            const problem = problems[`day-${day}-${index}`];
            const update = (part: "start" | "end", time: string) =>
              setDay(
                day,
                slots.map((current, position) =>
                  position === index ? { ...current, [part]: time } : current,
                ),
              );
            return (
              <div key={index} className="fne-hours-slot">
                <Input
                  label={`Ouverture, ${DAY_NAMES[day].toLowerCase()} créneau ${index + 1}`}
                  state={problem ? "error" : "default"}
                  stateRelatedMessage={problem}
                  nativeInputProps={{
                    type: "time",
                    value: slot.start,
                    onChange: (event) => update("start", event.target.value),
                  }}
                />
                <Input
                  label={`Fermeture, ${DAY_NAMES[day].toLowerCase()} créneau ${index + 1}`}
                  state={problem ? "error" : "default"}
                  nativeInputProps={{
                    type: "time",
                    value: slot.end,
                    onChange: (event) => update("end", event.target.value),
                  }}
                />
                <Button
                  type="button"
                  priority="tertiary no outline"
                  size="small"
                  iconId="fr-icon-delete-line"
                  onClick={() =>
                    setDay(
                      day,
                      slots.filter((_, position) => position !== index),
                    )
                  }
                  nativeButtonProps={{
                    "aria-label": `Retirer le créneau ${index + 1} du ${DAY_NAMES[day].toLowerCase()}`,
                  }}
                >
                  Retirer
                </Button>
              </div>
            );
          })}
          <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-btns-group--icon-left">
            <li>
              <Button
                type="button"
                priority="secondary"
                size="small"
                iconId="fr-icon-add-line"
                onClick={() => {
                  const last = slots[slots.length - 1];
                  setDay(day, [...slots, last ? { start: "14:00", end: "17:00" } : NEW_SLOT]);
                }}
                nativeButtonProps={{ "aria-label": `Ajouter un créneau le ${DAY_NAMES[day].toLowerCase()}` }}
              >
                Ajouter un créneau
              </Button>
            </li>
            {day < 6 && slots.length > 0 && (
              <li>
                <Button
                  type="button"
                  priority="tertiary"
                  size="small"
                  onClick={() =>
                    setDay(
                      day + 1,
                      slots.map((slot) => ({ ...slot })),
                    )
                  }
                  nativeButtonProps={{
                    "aria-label": `Même chose le ${DAY_NAMES[day + 1].toLowerCase()} que le ${DAY_NAMES[day].toLowerCase()}`,
                  }}
                >
                  Même chose le {DAY_NAMES[day + 1].toLowerCase()}
                </Button>
              </li>
            )}
          </ul>
        </div>
      ))}

      <div className="fr-fieldset__element">
        <RadioButtons
          legend="Jours fériés"
          small
          options={[
            {
              label: "Fermé les jours fériés",
              nativeInputProps: {
                name: "feries",
                checked: model.holidays === "closed",
                onChange: () => change({ ...model, holidays: "closed" }),
              },
            },
            {
              label: "Ouvert selon les horaires habituels",
              nativeInputProps: {
                name: "feries",
                checked: model.holidays === "usual",
                onChange: () => change({ ...model, holidays: "usual" }),
              },
            },
          ]}
        />
      </div>

      <div className="fr-fieldset__element">
        <p className="fr-text--bold fr-mb-1w">Fermetures exceptionnelles</p>
        {model.closures.length === 0 && <p className="fr-text--sm">Aucune (vacances, travaux…).</p>}
        {model.closures.map((closure, index) => {
          const problem = problems[`closure-${index}`];
          const update = (part: "from" | "to", date: string) =>
            change({
              ...model,
              closures: model.closures.map((current, position) =>
                position === index ? { ...current, [part]: date } : current,
              ),
            });
          return (
            <div key={index} className="fne-hours-slot">
              <Input
                label={`Fermé du (fermeture ${index + 1})`}
                state={problem ? "error" : "default"}
                stateRelatedMessage={problem}
                nativeInputProps={{
                  type: "date",
                  value: closure.from,
                  onChange: (event) => update("from", event.target.value),
                }}
              />
              <Input
                label={`Jusqu'au, inclus (fermeture ${index + 1})`}
                hintText="Vide : un seul jour"
                nativeInputProps={{
                  type: "date",
                  value: closure.to === closure.from ? "" : closure.to,
                  onChange: (event) => update("to", event.target.value),
                }}
              />
              <Button
                type="button"
                priority="tertiary no outline"
                size="small"
                iconId="fr-icon-delete-line"
                onClick={() =>
                  change({ ...model, closures: model.closures.filter((_, position) => position !== index) })
                }
                nativeButtonProps={{ "aria-label": `Retirer la fermeture ${index + 1}` }}
              >
                Retirer
              </Button>
            </div>
          );
        })}
        <Button
          type="button"
          priority="secondary"
          size="small"
          iconId="fr-icon-add-line"
          onClick={() => change({ ...model, closures: [...model.closures, { from: "", to: "" }] })}
        >
          Ajouter une fermeture exceptionnelle
        </Button>
      </div>
      <div className="fr-fieldset__element">
        <p className="fr-text--xs fr-mb-0">
          Enregistré au format du standard national :{" "}
          <code>{toOsm(model) || "(horaires non renseignés)"}</code>
        </p>
      </div>
    </fieldset>
  );
}

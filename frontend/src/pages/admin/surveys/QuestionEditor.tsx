/** One question of a draft, as a coordinator writes it: label, type, help, answer required, choices, bounds, condition. */
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useState } from "react";

import type { Question } from "../../../components/QuestionnaireForm";
import { typedNumber } from "../../../lib/adminForms";
import {
  choicesText,
  type EditableQuestion,
  parseChoices,
  QUESTION_TYPES,
  retype,
} from "../../../lib/questionnaireEditing";

interface Props {
  question: EditableQuestion;
  index: number;
  count: number;
  onChange: (question: EditableQuestion) => void;
  onMove: (offset: -1 | 1) => void;
  onRemove: () => void;
}

const NUMERIC = new Set(["scale", "integer", "decimal", "grid"]);

export function QuestionEditor({ question, index, count, onChange, onMove, onRemove }: Props) {
  // Choices and grid rows are edited as text, read back on every change (an unfinished line stays as typed).
  const [choices, setChoices] = useState(choicesText(question.choices));
  const [items, setItems] = useState(
    (question.items ?? []).map((item) => `${item.key} = ${item.label.fr ?? ""}`).join("\n"),
  );
  const id = `question-${index}`;
  const set = (change: Partial<EditableQuestion>) => onChange({ ...question, ...change });
  const number = `Question ${index + 1}`;
  const hasChoices =
    question.type === "single_choice" ||
    question.type === "multiple_choice" ||
    (question.type === "grid" && (question.choices?.length ?? 0) > 0);
  return (
    <fieldset className="fr-fieldset fr-mb-4w fne-question-editor" aria-labelledby={`${id}-legende`}>
      <legend id={`${id}-legende`} className="fr-fieldset__legend">
        {number} <span className="fr-hint-text">clé : {question.key}</span>
      </legend>
      <div className="fr-fieldset__element">
        <Input
          label={`Libellé (${number.toLowerCase()})`}
          nativeInputProps={{
            value: question.label.fr ?? "",
            onChange: (event) => set({ label: { ...question.label, fr: event.target.value } }),
          }}
        />
        <Select
          label={`Type de réponse (${number.toLowerCase()})`}
          nativeSelectProps={{
            value: question.type,
            onChange: (event) => onChange(retype(question, event.target.value as Question["type"])),
          }}
        >
          {Object.entries(QUESTION_TYPES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
        <Input
          label={`Aide (${number.toLowerCase()})`}
          hintText="Facultative : une précision sous le libellé"
          nativeInputProps={{
            value: question.hint?.fr ?? "",
            onChange: (event) =>
              set({
                hint: event.target.value ? { ...(question.hint ?? {}), fr: event.target.value } : undefined,
              }),
          }}
        />
        {question.type !== "note" && (
          <Checkbox
            options={[
              {
                label: `Réponse requise (${number.toLowerCase()})`,
                nativeInputProps: {
                  checked: Boolean(question.required),
                  onChange: (event) => set({ required: event.target.checked }),
                },
              },
            ]}
          />
        )}
        {hasChoices && (
          <Input
            label={`Choix (${number.toLowerCase()})`}
            hintText="Un par ligne : valeur = libellé (ex. souvent = Souvent)"
            textArea
            nativeTextAreaProps={{
              rows: Math.max(3, (question.choices?.length ?? 0) + 1),
              value: choices,
              onChange: (event) => {
                setChoices(event.target.value);
                set({ choices: parseChoices(event.target.value) });
              },
            }}
          />
        )}
        {question.type === "grid" && (
          <Input
            label={`Lignes de la grille (${number.toLowerCase()})`}
            hintText="Une par ligne : clé = libellé"
            textArea
            nativeTextAreaProps={{
              rows: 3,
              value: items,
              onChange: (event) => {
                setItems(event.target.value);
                set({
                  items: parseChoices(event.target.value).map((item) => ({
                    key: item.value,
                    label: item.label,
                  })),
                });
              },
            }}
          />
        )}
        {NUMERIC.has(question.type) && !hasChoices && (
          <div className="fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-6">
              <Input
                label={`Minimum (${number.toLowerCase()})`}
                nativeInputProps={{
                  inputMode: "decimal",
                  value: question.minimum ?? "",
                  onChange: (event) => set({ minimum: typedNumber(event.target.value) }),
                }}
              />
            </div>
            <div className="fr-col-6">
              <Input
                label={`Maximum (${number.toLowerCase()})`}
                nativeInputProps={{
                  inputMode: "decimal",
                  value: question.maximum ?? "",
                  onChange: (event) => set({ maximum: typedNumber(event.target.value) }),
                }}
              />
            </div>
          </div>
        )}
        <Input
          label={`Condition d'affichage (${number.toLowerCase()})`}
          hintText="Facultative. ex. ${internet_maison} = 'yes' : la question n'est posée que si elle est vraie"
          nativeInputProps={{
            value: question.relevant ?? "",
            onChange: (event) => set({ relevant: event.target.value || undefined }),
          }}
        />
        <ul className="fr-btns-group fr-btns-group--sm fr-btns-group--inline fr-btns-group--icon-left">
          <li>
            <Button
              type="button"
              priority="tertiary"
              size="small"
              iconId="fr-icon-arrow-up-line"
              disabled={index === 0}
              onClick={() => onMove(-1)}
            >
              Monter la {number.toLowerCase()}
            </Button>
          </li>
          <li>
            <Button
              type="button"
              priority="tertiary"
              size="small"
              iconId="fr-icon-arrow-down-line"
              disabled={index === count - 1}
              onClick={() => onMove(1)}
            >
              Descendre la {number.toLowerCase()}
            </Button>
          </li>
          <li>
            <Button
              type="button"
              priority="tertiary"
              size="small"
              iconId="fr-icon-delete-line"
              disabled={count === 1}
              onClick={onRemove}
            >
              Enlever la {number.toLowerCase()}
            </Button>
          </li>
        </ul>
      </div>
    </fieldset>
  );
}

import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";

import type { Problem } from "../api/problem";
import { type Answers, holds } from "../lib/expressions";

type Labels = Record<string, string>;

export interface Question {
  key: string;
  type:
    | "single_choice"
    | "multiple_choice"
    | "scale"
    | "yes_no"
    | "integer"
    | "decimal"
    | "date"
    | "text"
    | "note"
    | "grid";
  label: Labels;
  hint?: Labels | null;
  required?: boolean;
  relevant?: string | null;
  choices?: { value: string; label: Labels }[];
  minimum?: number | null;
  maximum?: number | null;
  min_date?: string | null;
  max_date?: string | null;
  max_length?: number | null;
  items?: { key: string; label: Labels }[];
}

const fr = (labels: Labels | null | undefined) => labels?.fr ?? "";

/** The questions asked given the answers so far: their skip logic holds (an invalid condition asks). */
export function askedQuestions(questions: Question[], answers: Answers): Question[] {
  return questions.filter((question) => {
    if (!question.relevant) return true;
    try {
      return holds(question.relevant, answers);
    } catch {
      return true;
    }
  });
}

/** Answers of questions the skip logic now hides, to clear on the next save: the service never keeps them. */
export function hiddenAnswers(questions: Question[], answers: Answers): Answers {
  const asked = new Set(askedQuestions(questions, answers).map((question) => question.key));
  return Object.fromEntries(
    Object.keys(answers)
      .filter((key) => !asked.has(key) && questions.some((question) => question.key === key))
      .map((key) => [key, null]),
  );
}

/** The API's messages per question (`valeurs.q` and `valeurs.grid.row` are reported on the question). */
export function answerMessages(problem: Problem | undefined): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const error of problem?.errors ?? []) {
    if (!error.field.startsWith("valeurs.")) continue;
    const [key, item] = error.field.slice("valeurs.".length).split(".");
    const reason = item ? `${item} : ${error.reason}` : error.reason;
    messages[key] = messages[key] ? `${messages[key]} ; ${reason}` : reason;
  }
  return messages;
}

function scaleValues(question: Question): number[] {
  const values: number[] = [];
  for (let value = question.minimum ?? 0; value <= (question.maximum ?? 0); value += 1) values.push(value);
  return values;
}

interface FieldProps {
  question: Question;
  value: unknown;
  error?: string;
  onChange: (value: unknown) => void;
}

function legendOf(question: Question) {
  return (
    <>
      {fr(question.label)}
      {question.required && <span className="fne-required"> (obligatoire)</span>}
    </>
  );
}

function QuestionField({ question, value, error, onChange }: FieldProps) {
  const state = error ? ("error" as const) : ("default" as const);
  const common = { state, stateRelatedMessage: error, hintText: fr(question.hint) || undefined };
  const name = `q-${question.key}`;
  switch (question.type) {
    case "note":
      return <p className="fr-text--lead">{fr(question.label)}</p>;
    case "single_choice":
    case "yes_no":
    case "scale": {
      const options: { value: unknown; label: string }[] =
        question.type === "yes_no"
          ? [
              { value: true, label: "Oui" },
              { value: false, label: "Non" },
            ]
          : question.type === "scale"
            ? scaleValues(question).map((number) => ({ value: number, label: String(number) }))
            : (question.choices ?? []).map((choice) => ({ value: choice.value, label: fr(choice.label) }));
      return (
        <RadioButtons
          legend={legendOf(question)}
          name={name}
          orientation={question.type === "single_choice" ? "vertical" : "horizontal"}
          {...common}
          options={options.map((option) => ({
            label: option.label,
            nativeInputProps: {
              value: String(option.value),
              checked: value === option.value,
              onChange: () => onChange(option.value),
            },
          }))}
        />
      );
    }
    case "multiple_choice": {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      return (
        <Checkbox
          legend={legendOf(question)}
          {...common}
          options={(question.choices ?? []).map((choice) => ({
            label: fr(choice.label),
            nativeInputProps: {
              name,
              value: choice.value,
              checked: chosen.includes(choice.value),
              onChange: (event) =>
                onChange(
                  event.target.checked
                    ? [...chosen, choice.value]
                    : chosen.filter((item) => item !== choice.value),
                ),
            },
          }))}
        />
      );
    }
    case "grid": {
      const rows = value && typeof value === "object" ? (value as Answers) : {};
      const options: { value: unknown; label: string }[] = question.choices?.length
        ? question.choices.map((choice) => ({ value: choice.value, label: fr(choice.label) }))
        : scaleValues(question).map((number) => ({ value: number, label: String(number) }));
      return (
        <fieldset className="fr-fieldset" aria-describedby={error ? `${name}-error` : undefined}>
          <legend className="fr-fieldset__legend">{legendOf(question)}</legend>
          {question.items?.map((item) => (
            <div className="fr-fieldset__element" key={item.key}>
              <RadioButtons
                legend={fr(item.label)}
                name={`${name}-${item.key}`}
                orientation="horizontal"
                small
                options={options.map((option) => ({
                  label: option.label,
                  nativeInputProps: {
                    value: String(option.value),
                    checked: rows[item.key] === option.value,
                    onChange: () => onChange({ ...rows, [item.key]: option.value }),
                  },
                }))}
              />
            </div>
          ))}
          {error && (
            <p id={`${name}-error`} className="fr-error-text">
              {error}
            </p>
          )}
        </fieldset>
      );
    }
    case "text":
      return (
        <Input
          label={legendOf(question)}
          textArea
          {...common}
          nativeTextAreaProps={{
            name,
            value: typeof value === "string" ? value : "",
            maxLength: question.max_length ?? undefined,
            onChange: (event) => onChange(event.target.value === "" ? null : event.target.value),
          }}
        />
      );
    default: {
      const numeric = question.type === "integer" || question.type === "decimal";
      return (
        <Input
          label={legendOf(question)}
          {...common}
          nativeInputProps={{
            name,
            type: numeric ? "number" : "date",
            inputMode: question.type === "integer" ? "numeric" : numeric ? "decimal" : undefined,
            step: question.type === "decimal" ? "any" : undefined,
            min: numeric ? (question.minimum ?? undefined) : (question.min_date ?? undefined),
            max: numeric ? (question.maximum ?? undefined) : (question.max_date ?? undefined),
            value: value === null || value === undefined ? "" : String(value),
            onChange: (event) => {
              const text = event.target.value;
              onChange(text === "" ? null : numeric ? Number(text) : text);
            },
          }}
        />
      );
    }
  }
}

interface Props {
  questions: Question[];
  answers: Answers;
  onChange: (answers: Answers) => void;
  problem?: Problem;
}

/** A questionnaire's asked questions, each with the API's message about it; skip logic re-applies on every answer. */
export function QuestionnaireForm({ questions, answers, onChange, problem }: Props) {
  const messages = answerMessages(problem);
  return (
    <div className="fne-questionnaire">
      {askedQuestions(questions, answers).map((question) => (
        <div key={question.key} className="fr-mb-3w" data-question={question.key}>
          <QuestionField
            question={question}
            value={answers[question.key] ?? null}
            error={messages[question.key]}
            onChange={(value) => onChange({ ...answers, [question.key]: value })}
          />
        </div>
      ))}
    </div>
  );
}

/** The problem as the summary above the form names it: each error on its question's label, not `answers`. */
export function namedByQuestion(
  problem: Problem | undefined,
  questions: Question[],
): { problem?: Problem; labels: Record<string, string> } {
  if (!problem) return { labels: {} };
  const labels = Object.fromEntries(questions.map((question) => [question.key, fr(question.label)]));
  const errors = problem.errors?.map((error) =>
    error.field.startsWith("valeurs.") ? { ...error, field: error.field.slice("valeurs.".length) } : error,
  );
  return { problem: { ...problem, errors }, labels };
}

interface ActionsProps {
  /** The form's submit: complete the response. */
  complete: string;
  /** Save what is answered, to finish later. */
  later: string;
  onLater: () => void;
  busy: boolean;
  /** Side by side on wide screens (a mediator's desk); stacked full-width on a phone otherwise. */
  inline?: boolean;
}

/** The two ways out of a questionnaire: complete it, or keep the answers and come back. */
export function QuestionnaireActions({ complete, later, onLater, busy, inline = false }: ActionsProps) {
  return (
    <ul className={inline ? "fr-btns-group fr-btns-group--inline-md" : "fr-btns-group"}>
      <li>
        <Button type="submit" disabled={busy}>
          {complete}
        </Button>
      </li>
      <li>
        <Button type="button" priority="secondary" disabled={busy} onClick={onLater}>
          {later}
        </Button>
      </li>
    </ul>
  );
}

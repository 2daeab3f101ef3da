import { Input } from "@codegouvfr/react-dsfr/Input";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";

export interface PickerProps {
  label: string;
  hintText?: string;
  /** The identifier kept (or, while nothing is chosen, what was typed: the API then names the field). */
  value: string;
  /** What shows for that identifier, when known. */
  shown?: string | null;
  onChange: (value: string, shown: string | null) => void;
  state?: "error" | "default";
  stateRelatedMessage?: ReactNode;
  /** Wait before asking, in milliseconds (tests set 0). */
  delay?: number;
}

interface Props<T> extends PickerProps {
  /** Candidates for what was typed, best first. */
  find: (text: string) => Promise<T[]>;
  keyOf: (item: T) => string;
  /** The name kept in the field once chosen. */
  nameOf: (item: T) => string;
  /** The suggestion's text (the name and what tells homonyms apart). */
  describe: (item: T) => string;
  /** The one candidate taken without asking, if any (an exact name). */
  evident?: (found: T[], text: string) => T | undefined;
  /** The hint once chosen. */
  chosenHint: (shown: string, value: string) => string;
  /** The message when nothing matches. */
  nothing: (text: string) => string;
}

/**
 * A thing chosen by its name and kept by its identifier: suggestions as one types (buttons under the field,
 * announced politely), an evident match taken without asking. What was typed and not chosen is passed on
 * as typed, so that the API refuses it by the field's name.
 */
export function PickerInput<T>({
  label,
  hintText,
  value,
  shown,
  onChange,
  state,
  stateRelatedMessage,
  delay = 300,
  find,
  keyOf,
  nameOf,
  describe,
  evident,
  chosenHint,
  nothing,
}: Props<T>) {
  const [text, setText] = useState(shown ?? value);
  const [chosen, setChosen] = useState<string | null>(shown ? value : null);
  const [choices, setChoices] = useState<T[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const listId = useId();
  const asked = useRef(0);

  // A value emptied from outside (the form reset after saving) empties the field.
  useEffect(() => {
    if (value === "" && chosen !== null) {
      setText("");
      setChosen(null);
    }
  }, [value, chosen]);

  const choose = (item: T) => {
    asked.current += 1;
    setText(nameOf(item));
    setChosen(keyOf(item));
    setChoices([]);
    setMessage(null);
    onChange(keyOf(item), nameOf(item));
  };

  const typed = (typedText: string) => {
    setText(typedText);
    setChosen(null);
    onChange(typedText.trim(), null);
    const ask = ++asked.current;
    if (typedText.trim().length < 2) {
      setChoices([]);
      setMessage(null);
      return;
    }
    window.setTimeout(() => {
      if (ask !== asked.current) return;
      find(typedText)
        .then((found) => {
          if (ask !== asked.current) return;
          const obvious = evident?.(found, typedText);
          if (obvious) return choose(obvious);
          setChoices(found);
          setMessage(found.length === 0 ? nothing(typedText.trim()) : null);
        })
        .catch(() => {
          if (ask === asked.current) setMessage("La recherche est momentanément indisponible. Réessayez.");
        });
    }, delay);
  };

  const pending = text.trim() !== "" && chosen === null;
  return (
    <div>
      <Input
        label={label}
        hintText={chosen ? chosenHint(text, chosen) : hintText}
        state={state === "error" || message ? "error" : "default"}
        stateRelatedMessage={state === "error" ? stateRelatedMessage : (message ?? undefined)}
        nativeInputProps={{
          value: text,
          autoComplete: "off",
          "aria-controls": choices.length > 0 ? listId : undefined,
          onChange: (event) => typed(event.target.value),
        }}
      />
      <div aria-live="polite">
        {pending && choices.length > 0 && (
          <div id={listId} className="fr-mb-2w">
            <p className="fr-text--sm fr-mb-1v">
              {choices.length === 1 ? "Une suggestion :" : `${choices.length} suggestions :`}
            </p>
            <ul className="fr-btns-group fr-btns-group--sm fr-btns-group--inline fr-btns-group--left">
              {choices.map((item) => (
                <li key={keyOf(item)}>
                  <button
                    type="button"
                    className="fr-btn fr-btn--sm fr-btn--tertiary"
                    onClick={() => choose(item)}
                  >
                    {describe(item)}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </div>
  );
}

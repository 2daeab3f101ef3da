import { type FormEvent, useState } from "react";

import { fieldStates } from "./adminForms";
import { useSubmit } from "./useSubmit";

type Field<T> = Extract<keyof T, string>;

/**
 * The plumbing every administration form repeats: the draft's state, binders for text and check fields, the
 * DSFR state of each field from the API's problem, and a submit handler that runs the work once.
 */
export function useFormFields<T extends object>(initial: T) {
  const [form, setForm] = useState<T>(initial);
  const { busy, problem, setProblem, run } = useSubmit();
  const change = (name: Field<T>, value: unknown) => setForm((current) => ({ ...current, [name]: value }));
  /** Props for a text input, text area or select bound to a string field. */
  const text = (name: Field<T>) => ({
    value: form[name] as unknown as string,
    onChange: (event: { target: { value: string } }) => change(name, event.target.value),
  });
  /** Props for a checkbox bound to a boolean field. */
  const check = (name: Field<T>) => ({
    checked: Boolean(form[name]),
    onChange: (event: { target: { checked: boolean } }) => change(name, event.target.checked),
  });
  /** The form's onSubmit: no page reload, the work run with busy and problem states. */
  const submit = (work: () => Promise<void>) => (event: FormEvent) => {
    event.preventDefault();
    void run(work);
  };
  return {
    form,
    setForm,
    change,
    text,
    check,
    state: fieldStates(problem),
    submit,
    busy,
    problem,
    setProblem,
    reset: () => setForm(initial),
  };
}

/** A record page's « Modifier » switch: the form shown or not, and its « modifié » message once saved. */
export function useEditSwitch(reload: () => void) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  return {
    editing,
    saved,
    open: () => {
      setEditing(true);
      setSaved(false);
    },
    cancel: () => setEditing(false),
    done: () => {
      setEditing(false);
      setSaved(true);
      reload();
    },
  };
}

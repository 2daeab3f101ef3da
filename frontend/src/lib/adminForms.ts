/** Small helpers the administration forms share: a field's error state, numbers typed the French way. */
import { fieldMessages, type Problem } from "../api/problem";

export interface FieldState {
  state: "error" | "default";
  stateRelatedMessage?: string;
}

/** The DSFR state of a field from the API's problem: red with its message when the API named it. */
export function fieldStates(problem: Problem | undefined): (name: string) => FieldState {
  const messages = fieldMessages(problem);
  return (name) =>
    messages[name] ? { state: "error", stateRelatedMessage: messages[name] } : { state: "default" };
}

/**
 * A number as typed (« 12,5 »): null when empty; what cannot be read is sent as typed, so that the API
 * names the field and says why.
 */
export function typedNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed.replace(/\s/g, "").replace(",", "."));
  return Number.isFinite(value) ? value : (trimmed as unknown as number);
}

export function numberText(value: number | null | undefined): string {
  return value == null ? "" : String(value).replace(".", ",");
}

/** Empty text as null (the API's « absent »). */
export function optionalText(text: string): string | null {
  return text.trim() === "" ? null : text;
}

/** A chosen file's text (FileReader where `Blob.text` is missing, as in older engines). */
export function fileText(file: Blob): Promise<string> {
  if (typeof file.text === "function") return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}

export function fileBytes(file: Blob): Promise<ArrayBuffer> {
  if (typeof file.arrayBuffer === "function") return file.arrayBuffer();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(file);
  });
}

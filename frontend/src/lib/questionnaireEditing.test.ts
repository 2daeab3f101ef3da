import { describe, expect, it } from "vitest";

import {
  choicesText,
  compareVersions,
  describeField,
  type EditableDefinition,
  keyFrom,
  namedErrors,
  parseChoices,
} from "./questionnaireEditing";

const V1: EditableDefinition = {
  code: "toile",
  title: { fr: "Toile" },
  questions: [
    { key: "age", type: "integer", label: { fr: "Votre âge" }, required: true },
    { key: "internet", type: "yes_no", label: { fr: "Internet à la maison ?" } },
    { key: "aisance", type: "scale", label: { fr: "Aisance" }, minimum: 0, maximum: 4 },
  ],
};

describe("questionnaire editing", () => {
  it("names an error's place by its question, never by a path", () => {
    expect(describeField("questions.2.choices.0.value", V1)).toBe("Question 3 « Aisance » — choix 1, valeur");
    expect(describeField("definition.questions.0.label.fr", V1)).toBe("Question 1 « Votre âge » — libellé");
    expect(describeField("title", V1)).toBe("Titre");
    expect(describeField("survey.1.type", V1)).toBe("Feuille « survey », ligne 3, colonne type");
    const problem = namedErrors(
      {
        title: "Données invalides",
        status: 422,
        errors: [{ field: "questions.1.key", reason: "clé en double : internet" }],
      },
      V1,
    );
    expect(problem?.errors?.[0]).toMatchObject({
      field: "",
      reason: "Question 2 « Internet à la maison ? » — clé : clé en double : internet",
    });
  });

  it("reads choices typed one per line and writes them back", () => {
    const choices = parseChoices("oui = Oui, souvent\n\nnon\n");
    expect(choices).toEqual([
      { value: "oui", label: { fr: "Oui, souvent" } },
      { value: "non", label: { fr: "non" } },
    ]);
    expect(choicesText(choices)).toBe("oui = Oui, souvent\nnon = non");
  });

  it("says which questions a new version adds, removes and changes", () => {
    const v2: EditableDefinition = {
      ...V1,
      questions: [
        { key: "age", type: "integer", label: { fr: "Quel âge avez-vous ?" }, required: false },
        { key: "aisance", type: "scale", label: { fr: "Aisance" }, minimum: 1, maximum: 5 },
        { key: "courriel", type: "yes_no", label: { fr: "Avez-vous un courriel ?" } },
      ],
    };
    expect(compareVersions(V1, v2)).toEqual([
      {
        key: "age",
        label: "Quel âge avez-vous ?",
        change: "modifiée",
        details: ["libellé : « Votre âge » → « Quel âge avez-vous ? »", "réponse devenue facultative"],
      },
      { key: "aisance", label: "Aisance", change: "modifiée", details: ["bornes : 0–4 → 1–5"] },
      { key: "courriel", label: "Avez-vous un courriel ?", change: "ajoutée", details: [] },
      { key: "internet", label: "Internet à la maison ?", change: "retirée", details: [] },
    ]);
  });

  it("makes a stable key from a French label", () => {
    expect(keyFrom("Êtes-vous à l'aise ?", new Set())).toBe("etes_vous_a_l_aise");
    expect(keyFrom("Âge", new Set(["age"]))).toBe("age_2");
    expect(keyFrom("2 écrans", new Set())).toBe("q_2_ecrans");
  });
});

describe("changing a question's type", () => {
  it("keeps what still applies and gives the new type what it needs", async () => {
    const { retype } = await import("./questionnaireEditing");
    const scale = retype(
      { key: "q", type: "text", label: { fr: "Q" }, required: true, max_length: 200 },
      "scale",
    );
    expect(scale).toEqual({
      key: "q",
      type: "scale",
      label: { fr: "Q" },
      required: true,
      minimum: 0,
      maximum: 4,
    });
    const note = retype(scale, "note");
    expect(note).toEqual({ key: "q", type: "note", label: { fr: "Q" }, required: false });
    expect(retype(note, "single_choice").choices).toHaveLength(2);
  });
});

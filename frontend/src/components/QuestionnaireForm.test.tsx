import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import type { Problem } from "../api/problem";
import type { Answers } from "../lib/expressions";
import { answerMessages, hiddenAnswers, type Question, QuestionnaireForm } from "./QuestionnaireForm";

const QUESTIONS: Question[] = [
  { key: "ordinateur", type: "yes_no", label: { fr: "Avez-vous un ordinateur ?" }, required: true },
  {
    key: "usage",
    type: "scale",
    label: { fr: "À quel point l'utilisez-vous ?" },
    minimum: 1,
    maximum: 4,
    relevant: "${ordinateur} = 'yes'",
  },
  {
    key: "usages",
    type: "multiple_choice",
    label: { fr: "Pour quoi faire ?" },
    choices: [
      { value: "mail", label: { fr: "Courriel" } },
      { value: "banque", label: { fr: "Banque" } },
    ],
  },
  { key: "age", type: "integer", label: { fr: "Votre âge" } },
];

function Harness({ problem }: { problem?: Problem }) {
  const [answers, setAnswers] = useState<Answers>({});
  return (
    <>
      <QuestionnaireForm questions={QUESTIONS} answers={answers} onChange={setAnswers} problem={problem} />
      <output data-testid="answers">{JSON.stringify(answers)}</output>
    </>
  );
}

describe("a questionnaire being filled", () => {
  it("asks a follow-up question only when its condition holds", async () => {
    render(<Harness />);
    expect(screen.queryByText("À quel point l'utilisez-vous ?")).toBeNull();
    await userEvent.click(screen.getByLabelText("Oui"));
    expect(screen.getByText("À quel point l'utilisez-vous ?")).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText("3"));
    await userEvent.click(screen.getByLabelText("Non"));
    expect(screen.queryByText("À quel point l'utilisez-vous ?")).toBeNull();
    expect(JSON.parse(screen.getByTestId("answers").textContent!)).toEqual({ ordinateur: false, usage: 3 });
  });

  it("keeps answers in the service's shapes: lists for several choices, numbers for numbers", async () => {
    render(<Harness />);
    await userEvent.click(screen.getByLabelText("Courriel"));
    await userEvent.click(screen.getByLabelText("Banque"));
    await userEvent.click(screen.getByLabelText("Courriel"));
    await userEvent.type(screen.getByLabelText("Votre âge"), "42");
    expect(JSON.parse(screen.getByTestId("answers").textContent!)).toEqual({ usages: ["banque"], age: 42 });
  });

  it("shows the API's message next to the question it names", () => {
    const problem: Problem = {
      title: "Données invalides",
      status: 422,
      errors: [
        { field: "valeurs.ordinateur", reason: "réponse requise" },
        { field: "valeurs.grille.mail", reason: "réponse requise" },
      ],
    };
    render(<Harness problem={problem} />);
    expect(screen.getByText("réponse requise")).toBeInTheDocument();
    expect(answerMessages(problem)).toEqual({
      ordinateur: "réponse requise",
      grille: "mail : réponse requise",
    });
  });

  it("clears the answers of questions the skip logic now hides", () => {
    expect(hiddenAnswers(QUESTIONS, { ordinateur: false, usage: 3, age: 20 })).toEqual({ usage: null });
  });
});

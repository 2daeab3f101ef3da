/** Words and loaders shared by the survey screens. */
import { api, unwrap } from "../api/client";
import type { SurveyPhase } from "../api/types";
import type { Question } from "../components/QuestionnaireForm";

export const PHASE_LABELS: Record<SurveyPhase, string> = {
  pre: "Début d'accompagnement",
  post: "Fin d'accompagnement",
  follow_up: "Suivi à distance",
};

export const STATUS_LABELS = { in_progress: "En cours", completed: "Terminé" } as const;

export interface QuestionnaireContent {
  title: string;
  description?: string;
  questions: Question[];
}

/** A questionnaire version's title and questions (its definition as the API returns it). */
export async function loadQuestionnaire(id: string, signal?: AbortSignal): Promise<QuestionnaireContent> {
  const found = await unwrap(
    api.GET("/api/surveys/questionnaires/{questionnaire_id}", {
      params: { path: { questionnaire_id: id } },
      signal,
    }),
  );
  return contentOf(found.definition as unknown as Record<string, unknown>);
}

/** The part of a definition a form needs, from the API's JSON (private or public link). */
export function contentOf(definition: Record<string, unknown>): QuestionnaireContent {
  const labels = (value: unknown) => (value as Record<string, string> | undefined)?.fr;
  return {
    title: labels(definition.title) ?? "Questionnaire",
    description: labels(definition.description),
    questions: (definition.questions ?? []) as Question[],
  };
}

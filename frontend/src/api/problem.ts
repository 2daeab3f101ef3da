/** RFC 9457 problem details, as every API of the platform returns them, and their French fallbacks. */
import { frenchReason } from "../lib/frenchReasons";

export interface FieldProblem {
  location?: string;
  field: string;
  pointer?: string;
  reason: string;
  type?: string;
  allowed?: string | string[];
}

export interface Problem {
  type?: string;
  code?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldProblem[];
  request_id?: string;
  /** Sends the failed submission again (lib/useSubmit, outages only); ProblemAlert offers it as « Réessayer ». */
  retry?: () => void;
}

const STATUS_TITLES: Record<number, string> = {
  400: "Requête invalide",
  401: "Connexion requise",
  403: "Accès refusé",
  404: "Page ou ressource introuvable",
  409: "Conflit",
  412: "Modifié entre-temps",
  413: "Envoi trop volumineux",
  422: "Données invalides",
  429: "Trop de requêtes",
  502: "Service momentanément indisponible",
  503: "Service momentanément indisponible",
  504: "Le service a mis trop de temps à répondre",
};

export const UNREACHABLE: Problem = {
  title: "Pas de connexion",
  code: "unreachable",
  status: 0,
  detail: "Vérifiez votre connexion à Internet, puis réessayez.",
};

export class ApiProblem extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = "ApiProblem";
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

function isProblemBody(body: unknown): body is Partial<Problem> & { title: string } {
  return typeof body === "object" && body !== null && typeof (body as { title?: unknown }).title === "string";
}

/** A problem from an error response: its own body when it is one, else a French title for its status. */
export function toProblem(body: unknown, status: number): Problem {
  if (isProblemBody(body)) return { ...body, status: body.status ?? status };
  return {
    title: STATUS_TITLES[status] ?? (status >= 500 ? "Erreur du service" : "Erreur inattendue"),
    status,
    detail: typeof body === "string" && body.length < 300 ? body : undefined,
  };
}

/** Any thrown value as a problem to show: API problems as they are, a failed fetch as "unreachable". */
export function problemOf(error: unknown): Problem {
  if (error instanceof ApiProblem) return error.problem;
  if (error instanceof TypeError) return UNREACHABLE;
  // An exception's own message is a developer's text (often English): never shown.
  return {
    title: "Erreur inattendue",
    status: 0,
    detail: "Rechargez la page ; si l'erreur revient, signalez-la.",
  };
}

/** The service is down, too slow or out of reach: nothing the person did wrong, worth trying again. */
export function isOutage(problem: Problem): boolean {
  return problem.code === "unreachable" || problem.status >= 500;
}

/** Per-field messages keyed by the field's dotted name (`courriels.0` is reported on `courriels`). */
export function fieldMessages(problem: Problem | undefined): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const error of problem?.errors ?? []) {
    const field = error.field.split(".")[0] || error.location || "";
    const reason = frenchReason(error);
    messages[field] = messages[field] ? `${messages[field]} ; ${reason}` : reason;
  }
  return messages;
}

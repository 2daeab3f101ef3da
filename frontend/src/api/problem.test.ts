import { describe, expect, it } from "vitest";

import { ApiProblem, UNREACHABLE, fieldMessages, problemOf, toProblem } from "./problem";

describe("problems", () => {
  it("keeps an RFC 9457 body as it is", () => {
    const body = {
      title: "Données invalides",
      status: 422,
      detail: "1 champ(s) invalide(s)",
      errors: [{ field: "nom", reason: "obligatoire" }],
    };
    expect(toProblem(body, 422)).toEqual(body);
  });

  it("gives a French title to an error that is not a problem (a proxy's 502 page)", () => {
    expect(toProblem("<html>Bad gateway</html>", 502)).toMatchObject({
      title: "Service momentanément indisponible",
      status: 502,
    });
    expect(toProblem(undefined, 418)).toMatchObject({ title: "Erreur inattendue", status: 418 });
  });

  it("says the service is unreachable when fetch itself fails", () => {
    expect(problemOf(new TypeError("Failed to fetch"))).toBe(UNREACHABLE);
    expect(problemOf(new ApiProblem({ title: "Accès refusé", status: 403 })).status).toBe(403);
  });

  it("groups field messages by top-level field", () => {
    const messages = fieldMessages({
      title: "Données invalides",
      status: 422,
      errors: [
        { field: "courriels.1", reason: "adresse invalide" },
        { field: "courriels.2", reason: "adresse invalide" },
        { field: "", location: "body", reason: "JSON attendu" },
      ],
    });
    expect(messages).toEqual({ courriels: "adresse invalide ; adresse invalide", body: "JSON attendu" });
  });
});

describe("field messages next to their fields", () => {
  it("never show a parser's English or a pattern", () => {
    const messages = fieldMessages({
      title: "Données invalides",
      status: 422,
      errors: [
        {
          field: "departement",
          reason: "String should match pattern '^(\\d{2,3}|2[AB])$'",
          type: "string_pattern_mismatch",
        },
      ],
    });
    expect(messages).toEqual({ departement: "format non valide" });
  });
});

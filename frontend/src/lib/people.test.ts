import { describe, expect, it } from "vitest";

import { frenchAllowed, frenchReason } from "./frenchReasons";
import { personName } from "./people";

describe("who did it, as a person reads it", () => {
  it("shows the name, never the account's internal identifier", () => {
    expect(personName("Coordination Savoie (user:6f1c2a4e-1234-4bcd-9eef-0123456789ab)")).toBe(
      "Coordination Savoie",
    );
    expect(personName("DORA (api_key:k1)")).toBe("DORA");
    expect(personName("user:6f1c2a4e-1234-4bcd-9eef-0123456789ab")).toBe("un compte de la plateforme");
    expect(personName("api_key:01J9")).toBe("une clé d'API");
    expect(personName("system:purge")).toBe("la plateforme");
    expect(personName("Synchronisation (system:sync)")).toBe("Synchronisation");
    expect(personName("Camille Martin")).toBe("Camille Martin");
    expect(personName(null)).toBe("—");
  });
});

describe("field errors in French", () => {
  it("keeps a French reason and replaces a parser's English by its meaning", () => {
    expect(frenchReason({ reason: "la clôture suit l'ouverture", type: "value_error" })).toBe(
      "la clôture suit l'ouverture",
    );
    expect(frenchReason({ reason: "Value error, donnez une valeur ou un texte", type: "value_error" })).toBe(
      "donnez une valeur ou un texte",
    );
    expect(
      frenchReason({ reason: "String should match pattern '^\\d{5}$'", type: "string_pattern_mismatch" }),
    ).toBe("format non valide");
    expect(
      frenchReason({
        reason: "Input should be a valid URL, relative URL without a base",
        type: "url_parsing",
      }),
    ).toBe("adresse web non valide (elle commence par https://)");
    expect(frenchReason({ reason: "Field required", type: "missing" })).toBe("champ obligatoire");
    expect(frenchReason({ reason: "Input should be a valid dictionary", type: "weird" })).toBe(
      "valeur non valide",
    );
    expect(frenchAllowed("'comite_suivi' or 'comite_technique'")).toBe("comite_suivi ou comite_technique");
    expect(frenchAllowed(["select_one", "range"])).toBe("select_one, range");
  });
});

import { describe, expect, it } from "vitest";

import type { Place } from "../api/types";
import { changedFields, formFromPlace, payloadFromForm } from "./placeForm";

const place = {
  nom: "Médiathèque",
  adresse: "Carré Curial",
  code_postal: "73000",
  latitude: 45.5667,
  longitude: 5.9236,
  courriels: ["a@chambery.fr", "b@chambery.fr"],
  telephone: null,
  services: ["Accès internet et matériel informatique"],
  date_maj: "2026-11-01",
} as unknown as Place;

describe("the place form", () => {
  it("reads a place and gives back the same payload when nothing is changed", () => {
    const payload = payloadFromForm(formFromPlace(place));
    expect(payload.courriels).toEqual(["a@chambery.fr", "b@chambery.fr"]);
    expect(payload.latitude).toBe(45.5667);
    expect(payload.telephone).toBeNull();
    expect(changedFields(payload, payloadFromForm(formFromPlace(place)))).toEqual({});
  });

  it("sends only what changed, emptied fields as null, decimal commas as numbers", () => {
    const values = formFromPlace(place);
    values.nom = "  Médiathèque J.-J. Rousseau ";
    values.latitude = "45,57";
    values.courriels = "a@chambery.fr\n\n";
    values.services = [];
    expect(changedFields(payloadFromForm(formFromPlace(place)), payloadFromForm(values))).toEqual({
      nom: "Médiathèque J.-J. Rousseau",
      latitude: 45.57,
      courriels: ["a@chambery.fr"],
      services: [],
    });
  });

  it("leaves a number the API cannot read as typed, for the API to name the field", () => {
    const values = formFromPlace(place);
    values.longitude = "cinq";
    expect(payloadFromForm(values).longitude).toBe("cinq");
  });
});

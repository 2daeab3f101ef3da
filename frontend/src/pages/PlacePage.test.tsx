import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../test/api";
import { renderAt } from "../test/render";
import PlacePage from "./PlacePage";

afterEach(() => vi.unstubAllGlobals());

const LIST_FIELDS = [
  "typologie",
  "courriels",
  "site_web",
  "itinerance",
  "services",
  "publics_specifiquement_adresses",
  "prise_en_charge_specifique",
  "frais_a_charge",
  "dispositif_programmes_nationaux",
  "formations_labels",
  "autres_formations_labels",
  "modalites_acces",
  "modalites_accompagnement",
];

function place(permanences: unknown[]) {
  return {
    ...Object.fromEntries(LIST_FIELDS.map((name) => [name, []])),
    id: "p1",
    status: "active",
    nom: "Mairie de Bassens",
    adresse: "Place de la Mairie",
    complement_adresse: null,
    code_postal: "73000",
    commune: "Bassens",
    code_insee: "73031",
    latitude: 45.58,
    longitude: 5.94,
    telephone: null,
    horaires: null,
    presentation_resume: null,
    presentation_detail: null,
    fiche_acces_libre: null,
    prise_rdv: null,
    source: null,
    date_maj: "2026-11-02",
    quality: { score: 1, missing: [], freshness: "a_jour" },
    hours: { open_now: false, next_opening: null, next_closing: null },
    permanences,
  };
}

const TOUR = {
  id: "t1",
  role: "conseiller_numerique",
  libelle: "Conseiller numérique",
  itinerante: true,
  creneaux: [
    {
      lieu_id: "p1",
      lieu_nom: "Mairie de Bassens",
      code_insee: "73031",
      commune: "Bassens",
      precision_lieu: null,
      jour: "mardi",
      debut: "09:00",
      fin: "12:00",
      texte: "le mardi 9 h–12 h",
    },
  ],
  texte: "Conseiller numérique présent le mardi 9 h–12 h (en tournée)",
};

describe("la fiche d'un lieu", () => {
  it("shows the permanences held there, the role only without consent", async () => {
    mockApi({
      "GET /api/directory/lieux/p1": () =>
        json(
          place([
            TOUR,
            {
              ...TOUR,
              id: "t2",
              role: "aidant",
              libelle: "Équipe du CCAS",
              itinerante: false,
              texte: "Aidant numérique présent le jeudi 14 h–16 h",
            },
          ]),
        ),
    });
    renderAt("/lieux/p1", [{ path: "/lieux/:id", element: <PlacePage /> }]);
    expect(await screen.findByRole("heading", { name: "Permanences" })).toBeInTheDocument();
    // Hours keep a no-break space between the number and "h" (never split across lines).
    const items = screen.getAllByRole("listitem").map((item) => item.textContent);
    expect(items).toContain("Conseiller numérique présent le mardi 9\u00a0h–12\u00a0h (en tournée)");
    expect(items).toContain("Aidant numérique présent le jeudi 14\u00a0h–16\u00a0h : Équipe du CCAS");
  });

  it("has no permanences section when none is held there", async () => {
    mockApi({ "GET /api/directory/lieux/p1": () => json(place([])) });
    renderAt("/lieux/p1", [{ path: "/lieux/:id", element: <PlacePage /> }]);
    expect(await screen.findByRole("heading", { name: "Mairie de Bassens", level: 1 })).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Permanences" })).not.toBeInTheDocument();
  });
});

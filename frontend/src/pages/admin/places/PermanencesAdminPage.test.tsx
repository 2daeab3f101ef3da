import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { forgetSiteInfo } from "../../../lib/site";
import { json, mockApi } from "../../../test/api";
import { commune, communePage, SITE } from "../../../test/communes";
import { ADMIN, renderAt, signIn, signOut } from "../../../test/render";
import PermanencesAdminPage, { permanenceInput, slotMessages } from "./PermanencesAdminPage";

const COORDINATOR = { ...ADMIN, role: "coordinator", scopes: ["directory:write", "network:write"] };
const PLACE = { id: "p1", nom: "France Services de Modane", commune: "Modane", code_insee: "73157" };
const PERSON = {
  id: "n1",
  prenom: "Anne",
  nom: "Roux",
  role: "conseiller_numerique",
  consentement_publication: true,
};
const SLOT = {
  lieu_id: "p1",
  lieu_nom: "France Services de Modane",
  code_insee: "73157",
  commune: "Modane",
  precision_lieu: null,
  jour: "mardi",
  debut: "09:00",
  fin: "12:00",
  texte: "le mardi 9 h–12 h",
};
const TOUR = {
  id: "perm1",
  status: "active",
  version: 1,
  role: "conseiller_numerique",
  role_libelle: "Conseiller numérique",
  libelle: "Anne Roux",
  itinerante: true,
  communes: ["73157", "73023"],
  creneaux: [
    SLOT,
    {
      ...SLOT,
      lieu_id: null,
      lieu_nom: null,
      code_insee: "73023",
      commune: "Aussois",
      precision_lieu: "parking de la mairie",
      jour: "jeudi",
      debut: "14:00",
      fin: "17:00",
      texte: "le jeudi 14 h–17 h",
    },
  ],
  updated_at: "2026-12-01T10:00:00Z",
  personne_id: "n1",
  libelle_saisi: "Anne Roux",
  libelle_public: true,
};
// Screens that read three resources take a while on a busy machine.
const SLOW = { timeout: 10000 };
const page = (items: unknown[]) => json({ items, total: items.length, page: 1, size: 100 });
const routes = [{ path: "/administration/permanences", element: <PermanencesAdminPage /> }];

beforeEach(() => {
  signIn();
  forgetSiteInfo();
});
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("permanenceInput", () => {
  it("sends a slot in a place by its id, a tour's stop by its commune, empty texts as absent", () => {
    const body = permanenceInput({
      role: "aidant",
      personne_id: "",
      libelle: " ",
      libelle_public: false,
      creneaux: [
        { ...TOUR_DRAFT_SLOT, where: "lieu" },
        { ...TOUR_DRAFT_SLOT, where: "commune", precision_lieu: "place du marché" },
      ],
    });
    expect(body).toEqual({
      role: "aidant",
      personne_id: null,
      libelle: null,
      libelle_public: false,
      creneaux: [
        { lieu_id: "p1", precision_lieu: null, jour: "mardi", debut: "09:00", fin: "12:00" },
        {
          code_insee: "73023",
          precision_lieu: "place du marché",
          jour: "mardi",
          debut: "09:00",
          fin: "12:00",
        },
      ],
    });
  });

  it("reads the API's messages about one slot", () => {
    const problem = {
      title: "Données invalides",
      status: 422,
      errors: [
        { field: "creneaux.1.fin", reason: "l'heure de fin doit suivre l'heure de début", location: "body" },
        { field: "creneaux.0", reason: "créneau en double", location: "body" },
      ],
    };
    expect(slotMessages(problem as never, 1)).toEqual({ fin: "l'heure de fin doit suivre l'heure de début" });
    expect(slotMessages(problem as never, 0)).toEqual({ "": "créneau en double" });
  });
});

const TOUR_DRAFT_SLOT = {
  where: "lieu" as const,
  lieu_id: "p1",
  lieu_nom: "France Services de Modane",
  code_insee: "73023",
  commune_nom: "Aussois",
  precision_lieu: "",
  jour: "mardi" as const,
  debut: "09:00",
  fin: "12:00",
};

describe("PermanencesAdminPage", () => {
  it("records an itinerant tour from a place: the place's slot, then a stop in another commune", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/site": () => json(SITE),
      "GET /api/directory/lieux/p1": () => json(PLACE),
      "GET /api/directory/permanences": [() => page([]), () => page([TOUR])],
      "GET /api/network/personnes": () => page([PERSON]),
      "GET /api/directory/territoires/communes": () =>
        json(communePage([commune("73023", "Aussois", "73500")])),
      "POST /api/directory/permanences": () => json(TOUR, 201),
    });
    renderAt("/administration/permanences?lieu=p1", routes);
    await screen.findByRole(
      "heading",
      { level: 1, name: "Permanences à « France Services de Modane »" },
      SLOW,
    );
    expect(
      await screen.findByText("Aucune permanence dans ce lieu pour l'instant.", {}, SLOW),
    ).toBeInTheDocument();
    const form = await screen.findByRole("form", { name: "Enregistrer une permanence" }, SLOW);
    await userEvent.selectOptions(within(form).getByLabelText(/^Personne du réseau/), "n1");
    expect(within(form).getByLabelText(/^Nom de la personne ou de l'équipe/)).toHaveValue("Anne Roux");
    expect(within(form).getByText("Lieu choisi : France Services de Modane")).toBeInTheDocument();
    await userEvent.click(within(form).getByRole("button", { name: "Ajouter un créneau ou une étape" }));
    fireEvent.change(within(form).getByLabelText(/^Commune de l'étape 2/), { target: { value: "Aussois" } });
    await within(form).findByText("Commune choisie : Aussois (code INSEE 73023)");
    await userEvent.selectOptions(within(form).getByLabelText("Jour du créneau 2"), "jeudi");
    fireEvent.change(within(form).getByLabelText("Début du créneau 2"), { target: { value: "14:00" } });
    fireEvent.change(within(form).getByLabelText("Fin du créneau 2"), { target: { value: "17:00" } });
    fireEvent.change(within(form).getByLabelText(/^Précision sur l'endroit, créneau 2/), {
      target: { value: "parking de la mairie" },
    });
    expect(within(form).getByText("Plusieurs lieux ou communes : c'est une tournée.")).toBeInTheDocument();
    await userEvent.click(within(form).getByRole("button", { name: "Enregistrer la permanence" }));
    await screen.findByText("Permanence enregistrée (tournée) : elle paraît sur la page de ses lieux.");
    const posted = requests.find((request) => request.method === "POST")!;
    expect(await posted.json()).toEqual({
      role: "conseiller_numerique",
      personne_id: "n1",
      libelle: "Anne Roux",
      libelle_public: true,
      creneaux: [
        { lieu_id: "p1", precision_lieu: null, jour: "mardi", debut: "09:00", fin: "12:00" },
        {
          code_insee: "73023",
          precision_lieu: "parking de la mairie",
          jour: "jeudi",
          debut: "14:00",
          fin: "17:00",
        },
      ],
    });
    const table = await screen.findByRole("table", { name: /Permanences tenues/ });
    expect(within(table).getByText("tournée")).toBeInTheDocument();
    expect(within(table).getByText("le jeudi 14 h–17 h : Aussois, parking de la mairie")).toBeInTheDocument();
  });

  it("shows the API's refusal next to the slot concerned, and withdraws a permanence after confirmation", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/directory/lieux/p1": () => json(PLACE),
      "GET /api/directory/permanences": [() => page([TOUR]), () => page([])],
      "GET /api/network/personnes": () => page([PERSON]),
      "PUT /api/directory/permanences/perm1": () =>
        json(
          {
            title: "Données invalides",
            status: 422,
            errors: [
              {
                location: "body",
                field: "creneaux.1.fin",
                reason: "l'heure de fin doit suivre l'heure de début",
                type: "value_error",
              },
            ],
          },
          422,
        ),
      "DELETE /api/directory/permanences/perm1": () => json({ ...TOUR, status: "withdrawn" }),
    });
    renderAt("/administration/permanences?lieu=p1", routes);
    const edit = await screen.findByRole("button", { name: /^Modifier\s*la permanence Anne Roux$/ }, SLOW);
    await userEvent.click(edit);
    const form = screen.getByRole("form", { name: "Modifier la permanence : Anne Roux" });
    expect(within(form).getByLabelText(/^Commune de l'étape 2/)).toHaveValue("Aussois");
    fireEvent.change(within(form).getByLabelText("Fin du créneau 2"), { target: { value: "13:00" } });
    await userEvent.click(within(form).getByRole("button", { name: "Enregistrer les modifications" }));
    await within(form).findByRole("alert");
    expect(within(form).getByLabelText("Fin du créneau 2")).toHaveAccessibleDescription(
      /l'heure de fin doit suivre l'heure de début/,
    );
    const put = requests.find((request) => request.method === "PUT")!;
    expect((await put.json()).creneaux[1]).toMatchObject({ code_insee: "73023", fin: "13:00" });

    await userEvent.click(screen.getByRole("button", { name: "Retirer la permanence Anne Roux" }));
    const dialog = await screen.findByRole("dialog", { name: "Retirer cette permanence ?" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Retirer la permanence" }));
    await screen.findByText("La permanence « Anne Roux » est retirée.");
    expect(requests.some((request) => request.method === "DELETE")).toBe(true);
  });
});

import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { forgetSiteInfo } from "../../../lib/site";
import { json, mockApi } from "../../../test/api";
import { commune, communePage, SITE } from "../../../test/communes";
import { ADMIN, renderAt, signIn, signOut } from "../../../test/render";
import PeopleAdminPage, { personDraft, personInput } from "./PeopleAdminPage";

const COORDINATOR = { ...ADMIN, role: "coordinator", scopes: ["network:write"] };
const SLOW = { timeout: 10000 };
const PERSON = {
  id: "n1",
  prenom: "Anne",
  nom: "Roux",
  role: "aidant",
  courriel: null,
  telephone: null,
  consentement_publication: false,
  actif: true,
  actif_depuis: "2026-01-10",
  actif_jusqu_au: null,
  employeurs: [{ structure_id: "s1", nom: "Mairie de Cognin", commune: "73087", commune_nom: "Cognin" }],
  programmes: [{ code: "aidants_connect", date_debut: "2026-01-15", date_fin: null }],
  poste_mutualise: false,
};
const routes = [{ path: "/administration/reseau/personnes", element: <PeopleAdminPage /> }];

beforeEach(() => {
  signIn();
  forgetSiteInfo();
});
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("personDraft and personInput", () => {
  it("give back what was read, the employer's directory id and the habilitation included", () => {
    expect(personInput(personDraft(PERSON as never))).toEqual({
      prenom: "Anne",
      nom: "Roux",
      role: "aidant",
      courriel: null,
      telephone: null,
      consentement_publication: false,
      actif: true,
      actif_depuis: "2026-01-10",
      employeurs: [{ nom: "Mairie de Cognin", commune: "73087", structure_id: "s1" }],
      programmes: [{ code: "aidants_connect", date_debut: "2026-01-15", date_fin: null }],
    });
  });
});

describe("PeopleAdminPage", () => {
  it("edits a person: the form filled from the record, the commune shown by its name, the change sent", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/site": () => json(SITE),
      "GET /api/network/personnes": () => json({ items: [PERSON], total: 1, page: 1, size: 200 }),
      "GET /api/directory/territoires/communes": () =>
        json(communePage([commune("73064", "La Motte-Servolex", "73290")])),
      "PATCH /api/network/personnes/n1": async (request) => json({ ...PERSON, ...(await request.json()) }),
    });
    renderAt("/administration/reseau/personnes", routes);
    await userEvent.click(await screen.findByRole("button", { name: /^Modifier\s*Anne Roux$/ }, SLOW));
    const form = screen.getByRole("form", { name: "Modifier Anne Roux" });
    expect(within(form).getByLabelText("Prénom")).toHaveValue("Anne");
    const place = within(form).getByLabelText(/^Commune de la structure principale/);
    expect(place).toHaveValue("Cognin");
    fireEvent.change(place, { target: { value: "La Motte-Servolex" } });
    await within(form).findByText("Commune choisie : La Motte-Servolex (code INSEE 73064)", {}, SLOW);
    fireEvent.change(within(form).getByLabelText(/^Téléphone/), { target: { value: "04 79 00 00 00" } });
    await userEvent.click(within(form).getByRole("button", { name: "Enregistrer les modifications" }));
    await screen.findByText("Anne Roux est modifié(e).", {}, SLOW);
    const patched = await requests.find((request) => request.method === "PATCH")!.json();
    expect(patched.telephone).toBe("04 79 00 00 00");
    expect(patched.employeurs).toEqual([{ nom: "Mairie de Cognin", commune: "73064", structure_id: "s1" }]);
    expect(screen.getByRole("form", { name: "Enregistrer une personne" })).toBeInTheDocument();
  });
});

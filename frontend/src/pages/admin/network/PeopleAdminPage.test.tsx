import { fireEvent, screen, waitFor, within } from "@testing-library/react";
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
  version: 3,
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
    expect(requests.find((request) => request.method === "PATCH")!.headers.get("If-Match")).toBe('"n1.3"');
    expect(patched.telephone).toBe("04 79 00 00 00");
    expect(patched.employeurs).toEqual([{ nom: "Mairie de Cognin", commune: "73064", structure_id: "s1" }]);
    expect(screen.getByRole("form", { name: "Enregistrer une personne" })).toBeInTheDocument();
  });

  const STALE = {
    title: "La personne a été modifiée entre-temps",
    status: 412,
    code: "version-conflict",
    detail:
      "Quelqu'un d'autre a modifié cette personne depuis votre lecture : rechargez-la puis réappliquez vos changements.",
  };

  it("on 412, says the person changed, reloads them with « Recharger » and saves on the version read again", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/network/personnes": () => json({ items: [PERSON], total: 1, page: 1, size: 200 }),
      "GET /api/network/personnes/n1": () => json({ ...PERSON, telephone: "04 79 11 11 11", version: 4 }),
      "PATCH /api/network/personnes/n1": [
        () => json(STALE, 412),
        async (request) => json({ ...PERSON, ...(await request.json()), version: 5 }),
      ],
    });
    renderAt("/administration/reseau/personnes", routes);
    await userEvent.click(await screen.findByRole("button", { name: /^Modifier\s*Anne Roux$/ }, SLOW));
    let form = screen.getByRole("form", { name: "Modifier Anne Roux" });
    fireEvent.change(within(form).getByLabelText(/^Courriel/), { target: { value: "anne@cognin.fr" } });
    await userEvent.click(within(form).getByRole("button", { name: "Enregistrer les modifications" }));
    const alert = await within(form).findByRole("alert", {}, SLOW);
    expect(alert).toHaveTextContent("La personne a été modifiée entre-temps");
    expect(alert).toHaveTextContent("Vos modifications n'ont pas été enregistrées.");
    await userEvent.click(within(alert).getByRole("button", { name: "Recharger" }));
    // The form starts again from the person as saved now: someone else's phone is there, the alert gone.
    form = screen.getByRole("form", { name: "Modifier Anne Roux" });
    await waitFor(
      () => expect(within(form).getByLabelText(/^Téléphone/)).toHaveValue("04 79 11 11 11"),
      SLOW,
    );
    expect(within(form).queryByRole("alert")).not.toBeInTheDocument();
    fireEvent.change(within(form).getByLabelText(/^Courriel/), { target: { value: "anne@cognin.fr" } });
    await userEvent.click(within(form).getByRole("button", { name: "Enregistrer les modifications" }));
    await screen.findByText("Anne Roux est modifié(e).", {}, SLOW);
    const patches = requests.filter((request) => request.method === "PATCH");
    expect(patches.map((request) => request.headers.get("If-Match"))).toEqual(['"n1.3"', '"n1.4"']);
    expect((await patches[1].json()).telephone).toBe("04 79 11 11 11");
  });

  it("erases with the version listed; on 412 nothing is erased and « Recharger » reads the list again", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/network/personnes": [
        () => json({ items: [PERSON], total: 1, page: 1, size: 200 }),
        () => json({ items: [{ ...PERSON, nom: "Roux-Blanc", version: 4 }], total: 1, page: 1, size: 200 }),
      ],
      "DELETE /api/network/personnes/n1": () => json(STALE, 412),
    });
    renderAt("/administration/reseau/personnes", routes);
    await userEvent.click(await screen.findByRole("button", { name: /^Effacer/ }, SLOW));
    await userEvent.click(await screen.findByRole("button", { name: "Effacer définitivement" }));
    const alert = await screen.findByRole("alert", {}, SLOW);
    expect(alert).toHaveTextContent("La personne a été modifiée entre-temps");
    expect(requests.find((request) => request.method === "DELETE")!.headers.get("If-Match")).toBe('"n1.3"');
    await userEvent.click(within(alert).getByRole("button", { name: "Recharger" }));
    await screen.findByRole("rowheader", { name: /Anne Roux-Blanc/ }, SLOW);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});

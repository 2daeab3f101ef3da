import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../test/api";
import { ADMIN, renderAt, signIn, signOut } from "../../test/render";
import PlaceEditPage from "./PlaceEditPage";

const PLACE = {
  id: "p1",
  nom: "Atelier du Biollay",
  adresse: "10 rue du Biollay",
  code_postal: "73000",
  commune: "Chambéry",
  code_insee: "73065",
  latitude: 45.558,
  longitude: 5.925,
  presentation_resume: "Ateliers.",
  courriels: [],
  site_web: [],
  services: [],
};

const routes = [
  { path: "/lieux/:id/modifier", element: <PlaceEditPage /> },
  { path: "/lieux/:id", element: <p>page du lieu</p> },
];

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

// Values are pasted (one input event) rather than typed: this form is large, and jsdom renders slowly.
describe("editing a place", () => {
  it("sends only the changed fields with If-Match, then opens the place", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/directory/lieux/p1": () => json(PLACE, 200, { ETag: '"1"' }),
      "PATCH /api/directory/lieux/p1": () =>
        json({ ...PLACE, nom: "Atelier numérique" }, 200, { ETag: '"2"' }),
    });
    renderAt("/lieux/p1/modifier", routes);
    const name = await screen.findByLabelText("Nom du lieu *");
    await userEvent.clear(name);
    await userEvent.click(name);
    await userEvent.paste("Atelier numérique");
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    await screen.findByText("page du lieu");
    const patch = requests.find((request) => request.method === "PATCH")!;
    expect(patch.headers.get("If-Match")).toBe('"1"');
    expect(patch.headers.get("X-CSRF-Token")).toBe("jeton");
    expect(await patch.json()).toEqual({ nom: "Atelier numérique" });
  });

  it("on 412, shows both versions of the changed fields and re-applies on the current version", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/directory/lieux/p1": [
        () => json(PLACE, 200, { ETag: '"1"' }),
        () => json({ ...PLACE, presentation_resume: "Fermé pour travaux." }, 200, { ETag: '"2"' }),
      ],
      "PATCH /api/directory/lieux/p1": [
        () => json({ title: "Modifié entre-temps", status: 412, code: "precondition-failed" }, 412),
        () => json({ ...PLACE, presentation_resume: "Ateliers le mardi." }, 200, { ETag: '"3"' }),
      ],
    });
    renderAt("/lieux/p1/modifier", routes);
    const summary = await screen.findByLabelText(/^Présentation courte/);
    await userEvent.clear(summary);
    await userEvent.click(summary);
    await userEvent.paste("Ateliers le mardi.");
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer" }));

    const row = await screen.findByRole("row", { name: /Présentation courte/ });
    expect(row).toHaveTextContent("Ateliers le mardi.");
    expect(row).toHaveTextContent("Fermé pour travaux.");
    await userEvent.click(
      screen.getByRole("button", { name: "Appliquer mes modifications à la version actuelle" }),
    );
    await screen.findByText("page du lieu");
    const patches = requests.filter((request) => request.method === "PATCH");
    expect(patches.map((request) => request.headers.get("If-Match"))).toEqual(['"1"', '"2"']);
    expect(await patches[1].json()).toEqual({ presentation_resume: "Ateliers le mardi." });
  });

  it("shows the API's per-field errors next to the fields", async () => {
    mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/directory/lieux/p1": () => json(PLACE, 200, { ETag: '"1"' }),
      "PATCH /api/directory/lieux/p1": () =>
        json(
          {
            title: "Données invalides",
            status: 422,
            errors: [{ field: "code_postal", reason: "5 chiffres attendus" }],
          },
          422,
        ),
    });
    renderAt("/lieux/p1/modifier", routes);
    const postcode = await screen.findByLabelText(/Code postal/);
    await userEvent.clear(postcode);
    await userEvent.click(postcode);
    await userEvent.paste("730");
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    await waitFor(() =>
      expect(screen.getByRole("alert")).toHaveTextContent("Code postal : 5 chiffres attendus"),
    );
    expect(screen.getAllByText("5 chiffres attendus").length).toBe(2);
  });
});

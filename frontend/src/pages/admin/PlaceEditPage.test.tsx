import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { forgetSiteInfo } from "../../lib/site";
import { json, mockApi } from "../../test/api";
import { commune, communePage, SITE } from "../../test/communes";
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

// A large form under jsdom: on a loaded machine it renders in seconds, not milliseconds.
const SLOW = { timeout: 10000 };

const routes = [
  { path: "/lieux/:id/modifier", element: <PlaceEditPage /> },
  { path: "/administration/lieux/nouveau", element: <PlaceEditPage /> },
  { path: "/lieux/:id", element: <p>page du lieu</p> },
];

beforeEach(() => {
  signIn();
  forgetSiteInfo();
});
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
    await screen.findByText("page du lieu", {}, SLOW);
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
    await screen.findByText("page du lieu", {}, SLOW);
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

const CHAMBERY = commune("73065", "Chambéry", "73000");
const SAINT_ALBAN = [
  commune("73222", "Saint-Alban-Leysse", "73230"),
  commune("73223", "Saint-Alban-des-Hurtières", "73220"),
  commune("38350", "Saint-Alban-de-Roche", "38080"),
];

/** Pastes into a field of this large form (one input event: jsdom renders it slowly). */
async function paste(label: string | RegExp, text: string) {
  const field = await screen.findByLabelText(label, {}, SLOW);
  await userEvent.clear(field);
  await userEvent.click(field);
  await userEvent.paste(text);
}

describe("the place's commune, chosen by its name", () => {
  it("creates a place in the commune typed by name, sending its INSEE code and its name", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/site": () => json(SITE),
      "GET /api/directory/territoires/communes": () =>
        json(communePage([CHAMBERY, commune("73051", "Challes-les-Eaux", "73190")])),
      "POST /api/directory/lieux": () => json({ ...PLACE, id: "p2" }, 201),
    });
    renderAt("/administration/lieux/nouveau", routes);
    await paste("Nom du lieu *", "Atelier du Biollay");
    await paste(/^Adresse \*/, "10 rue du Biollay");
    await paste(/^Code postal/, "73000");
    expect(screen.queryByLabelText(/Code INSEE/)).not.toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/^Commune/), { target: { value: "Chambéry" } });
    await screen.findByText("Commune choisie : Chambéry (code INSEE 73065)", {}, SLOW);
    const asked = new URL(requests.filter((request) => request.url.includes("/communes")).at(-1)!.url);
    expect(asked.searchParams.get("q")).toBe("Chambéry");
    expect(asked.searchParams.get("departement_prefere")).toBe("73");
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    await screen.findByText("page du lieu", {}, SLOW);
    const body = await requests.find((request) => request.method === "POST")!.json();
    expect(body).toMatchObject({ nom: "Atelier du Biollay", code_insee: "73065", commune: "Chambéry" });
  });

  it("shows the place's commune by name and moves it to another one chosen among suggestions", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/directory/lieux/p1": () => json(PLACE, 200, { ETag: '"1"' }),
      "GET /api/site": () => json(SITE),
      "GET /api/directory/territoires/communes": () => json(communePage(SAINT_ALBAN)),
      "PATCH /api/directory/lieux/p1": () => json(PLACE, 200, { ETag: '"2"' }),
    });
    renderAt("/lieux/p1/modifier", routes);
    const field = await screen.findByLabelText(/^Commune/, {}, SLOW);
    expect(field).toHaveValue("Chambéry");
    expect(screen.getByText("Commune choisie : Chambéry (code INSEE 73065)")).toBeInTheDocument();
    fireEvent.change(field, { target: { value: "Saint-Alban" } });
    await userEvent.click(await screen.findByRole("button", { name: "Saint-Alban-Leysse (73230)" }, SLOW));
    expect(screen.getByText("Commune choisie : Saint-Alban-Leysse (code INSEE 73222)")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    await screen.findByText("page du lieu", {}, SLOW);
    const patch = requests.find((request) => request.method === "PATCH")!;
    expect(await patch.json()).toEqual({ code_insee: "73222", commune: "Saint-Alban-Leysse" });
  });

  it("shows the API's refusal of the commune on the commune field", async () => {
    mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/directory/lieux/p1": () => json(PLACE, 200, { ETag: '"1"' }),
      "GET /api/site": () => json(SITE),
      "GET /api/directory/territoires/communes": () => json(communePage([])),
      "PATCH /api/directory/lieux/p1": () =>
        json(
          {
            title: "Données invalides",
            status: 422,
            errors: [{ field: "code_insee", reason: "commune inconnue : « Chamonix »" }],
          },
          422,
        ),
    });
    renderAt("/lieux/p1/modifier", routes);
    const field = await screen.findByLabelText(/^Commune/, {}, SLOW);
    fireEvent.change(field, { target: { value: "Chamonix" } });
    await screen.findByText("Aucune commune ne correspond à « Chamonix ».", {}, SLOW);
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    await waitFor(
      () =>
        expect(screen.getByRole("alert")).toHaveTextContent(
          "Commune (code INSEE) : commune inconnue : « Chamonix »",
        ),
      SLOW,
    );
    // Beside the field too, drawn as in error.
    expect(screen.getAllByText("commune inconnue : « Chamonix »").length).toBe(2);
    expect(field.closest(".fr-input-group")).toHaveClass("fr-input-group--error");
  });
});

import { screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../test/api";
import { renderAt, signIn, signOut } from "../../test/render";
import AdminHome from "./AdminHome";

const routes = [{ path: "/administration", element: <AdminHome /> }];
const SCOPES = ["directory:write", "sync:run", "observatory:write", "surveys:write", "surveys:read"];

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("the administration's home", () => {
  it("offers a coordinator every screen of the workspace", async () => {
    mockApi({
      "GET /api/auth/me": () =>
        json({ kind: "user", subject: "u3", name: "Coordination", role: "coordinator", scopes: SCOPES }),
    });
    renderAt("/administration", routes);
    await screen.findByText(/Connecté en tant que/);
    for (const name of [
      "Permanences",
      "Feuille de route",
      "Comités de suivi",
      "Calculs de l'observatoire",
      "Catalogue des indicateurs",
      "Questionnaires",
      "Campagnes",
      "Demandes sur les données personnelles",
    ]) {
      expect(await screen.findByRole("heading", { level: 2, name })).toBeInTheDocument();
    }
    expect(screen.queryByRole("heading", { name: "Comptes" })).toBeNull();
  });

  it("hides from a mediator what the API refuses them", async () => {
    mockApi({
      "GET /api/auth/me": () =>
        json({
          kind: "user",
          subject: "u2",
          name: "Inès",
          role: "mediator",
          scopes: ["surveys:write", "surveys:read"],
        }),
    });
    renderAt("/administration", routes);
    expect(await screen.findByText(/Connecté en tant que/)).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Questionnaires" })).toBeNull();
    expect(screen.queryByRole("heading", { name: "Feuille de route" })).toBeNull();
  });
});

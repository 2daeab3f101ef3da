import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../test/api";
import { ADMIN, renderAt, signIn, signOut } from "../../test/render";
import ApiKeysPage from "./ApiKeysPage";

const KEY = {
  id: "k1",
  name: "DORA",
  prefix: "ab12",
  scopes: ["directory:write"],
  created_at: "2026-11-29T10:00:00Z",
  expires_at: null,
  revoked_at: null,
  last_used_at: null,
};
const routes = [{ path: "/administration/cles-api", element: <ApiKeysPage /> }];

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("API keys", () => {
  it("creates a key with the chosen scopes and shows its secret once", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/auth/api-keys": [() => json([]), () => json([KEY])],
      "POST /api/auth/api-keys": () => json({ ...KEY, key: "fne_ab12_secret" }, 201),
    });
    renderAt("/administration/cles-api", routes);
    await userEvent.type(await screen.findByLabelText(/Nom de la plateforme/), "DORA");
    await userEvent.click(screen.getByLabelText(/Annuaire : écrire les lieux/));
    await userEvent.click(screen.getByRole("button", { name: "Créer la clé" }));
    expect(await screen.findByTestId("api-key-secret")).toHaveTextContent("fne_ab12_secret");
    const body = await requests.find((request) => request.method === "POST")!.json();
    expect(body).toEqual({ name: "DORA", scopes: ["directory:write"], expires_at: null });
    await userEvent.click(screen.getByRole("button", { name: "J'ai copié la clé" }));
    expect(screen.queryByTestId("api-key-secret")).toBeNull();
  });

  it("revokes a key after a confirmation", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/auth/api-keys": [
        () => json([KEY]),
        () => json([{ ...KEY, revoked_at: "2026-11-29T11:00:00Z" }]),
      ],
      "DELETE /api/auth/api-keys/k1": () => json({ ...KEY, revoked_at: "2026-11-29T11:00:00Z" }),
    });
    renderAt("/administration/cles-api", routes);
    const row = (await screen.findByRole("cell", { name: "DORA" })).closest("tr")!;
    await userEvent.click(within(row).getByRole("button", { name: "Révoquer" }));
    expect(requests.some((request) => request.method === "DELETE")).toBe(false);
    await userEvent.click(within(row).getByRole("button", { name: /Confirmer la révocation/ }));
    expect(await within(row).findByText(/révoquée le/)).toBeInTheDocument();
  });

  it("sends anonymous visitors to the login page", async () => {
    signOut();
    renderAt("/administration/cles-api", [...routes, { path: "/connexion", element: <p>connexion</p> }]);
    expect(await screen.findByText("connexion")).toBeInTheDocument();
  });
});

import { fireEvent, screen, within } from "@testing-library/react";
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
    const row = (await screen.findByRole("rowheader", { name: "DORA" })).closest("tr")!;
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

  it("sorts the keys by a column, its header telling the order", async () => {
    mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/auth/api-keys": () =>
        json([
          { ...KEY, id: "k1", name: "DORA", created_at: "2026-11-29T10:00:00Z" },
          { ...KEY, id: "k2", name: "Aidants Connect", created_at: "2026-11-30T10:00:00Z" },
        ]),
    });
    renderAt("/administration/cles-api", routes);
    await screen.findByRole("rowheader", { name: "DORA" });
    const names = () => screen.getAllByRole("rowheader").map((cell) => cell.textContent);
    // Newest first at first.
    expect(names()).toEqual(["Aidants Connect", "DORA"]);
    expect(screen.getByRole("columnheader", { name: /Créée le/ })).toHaveAttribute("aria-sort", "descending");
    await userEvent.click(screen.getByRole("button", { name: /^Nom/ }));
    expect(names()).toEqual(["Aidants Connect", "DORA"]);
    await userEvent.click(screen.getByRole("button", { name: /^Nom/ }));
    expect(names()).toEqual(["DORA", "Aidants Connect"]);
    expect(screen.getByRole("columnheader", { name: /^Nom/ })).toHaveAttribute("aria-sort", "descending");
    expect(screen.getAllByText("Annuaire : écrire les lieux", { selector: "td" })).toHaveLength(2);
  });

  it("saves again with the same data on « Réessayer » after an outage, and only once", async () => {
    const down = {
      type: "about:blank",
      code: "upstream-unavailable",
      title: "Service indisponible",
      status: 503,
    };
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/auth/api-keys": [() => json([]), () => json([KEY])],
      "POST /api/auth/api-keys": [
        () => {
          throw new TypeError("Failed to fetch");
        },
        () => json(down, 503),
        () => json({ ...KEY, key: "fne_ab12_secret" }, 201),
      ],
    });
    renderAt("/administration/cles-api", routes);
    await userEvent.type(await screen.findByLabelText(/Nom de la plateforme/), "DORA");
    await userEvent.click(screen.getByLabelText(/Annuaire : écrire les lieux/));
    await userEvent.click(screen.getByRole("button", { name: "Créer la clé" }));
    expect(await screen.findByText("Pas de connexion")).toBeInTheDocument();
    expect(screen.getByText(/Rien n'a été enregistré/)).toBeInTheDocument();
    // What the person changes afterwards is not what « Réessayer » sends: it sends what failed.
    await userEvent.type(screen.getByLabelText(/Nom de la plateforme/), " bis");
    await userEvent.click(screen.getByRole("button", { name: "Réessayer" }));
    expect(await screen.findByText("Ce service est momentanément indisponible")).toBeInTheDocument();
    const retry = screen.getByRole("button", { name: "Réessayer" });
    fireEvent.click(retry);
    fireEvent.click(retry);
    expect(await screen.findByTestId("api-key-secret")).toHaveTextContent("fne_ab12_secret");
    expect(screen.queryByRole("button", { name: "Réessayer" })).toBeNull();
    const posts = requests.filter((request) => request.method === "POST");
    expect(posts).toHaveLength(3);
    for (const post of posts) {
      expect(await post.json()).toEqual({ name: "DORA", scopes: ["directory:write"], expires_at: null });
    }
  });

  it("offers no « Réessayer » when the save may have happened (a timeout)", async () => {
    const timeout = {
      type: "about:blank",
      code: "upstream-timeout",
      title: "Service trop lent",
      status: 504,
    };
    mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/auth/api-keys": () => json([]),
      "POST /api/auth/api-keys": () => json(timeout, 504),
    });
    renderAt("/administration/cles-api", routes);
    await userEvent.type(await screen.findByLabelText(/Nom de la plateforme/), "DORA");
    await userEvent.click(screen.getByRole("button", { name: "Créer la clé" }));
    expect(await screen.findByText(/momentanément indisponible/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Réessayer" })).toBeNull();
  });
});

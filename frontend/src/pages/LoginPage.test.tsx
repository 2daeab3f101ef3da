import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../test/api";
import { ADMIN, renderAt, signOut } from "../test/render";
import LoginPage, { safeReturnPath } from "./LoginPage";

afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

const routes = [
  { path: "/connexion", element: <LoginPage /> },
  { path: "/administration/cles-api", element: <p>clés</p> },
];

describe("login", () => {
  it("says why a login failed", async () => {
    mockApi({
      "POST /api/auth/login": () =>
        json(
          { title: "Identifiants invalides", status: 401, detail: "Adresse ou mot de passe incorrect." },
          401,
        ),
    });
    renderAt("/connexion", routes);
    await userEvent.type(screen.getByLabelText(/Adresse électronique/), "camille@savoie.fr");
    await userEvent.type(screen.getByLabelText("Mot de passe"), "mauvais");
    await userEvent.click(screen.getByRole("button", { name: "Se connecter" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Adresse ou mot de passe incorrect.");
  });

  it("goes back where the person was asked to sign in", async () => {
    mockApi({
      "POST /api/auth/login": () => {
        document.cookie = "fne_csrf=jeton";
        return json({ csrf_token: "jeton" });
      },
      "GET /api/auth/me": () => json(ADMIN),
    });
    renderAt("/connexion?retour=%2Fadministration%2Fcles-api", routes);
    await userEvent.type(screen.getByLabelText(/Adresse électronique/), "camille@savoie.fr");
    await userEvent.type(screen.getByLabelText("Mot de passe"), "un mot de passe solide");
    await userEvent.click(screen.getByRole("button", { name: "Se connecter" }));
    expect(await screen.findByText("clés")).toBeInTheDocument();
  });

  it("never sends a signed-in person to another site", () => {
    expect(safeReturnPath("/lieux/1")).toBe("/lieux/1");
    expect(safeReturnPath("//evil.example")).toBe("/administration");
    expect(safeReturnPath("https://evil.example")).toBe("/administration");
    expect(safeReturnPath(null)).toBe("/administration");
  });
});

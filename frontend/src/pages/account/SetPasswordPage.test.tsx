import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../test/api";
import { renderAt } from "../../test/render";
import SetPasswordPage from "./SetPasswordPage";

const routes = [{ path: "/mot-de-passe", element: <SetPasswordPage /> }];

function openLink(url: string) {
  window.history.replaceState(null, "", url);
  return renderAt("/mot-de-passe", routes);
}

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, "", "/");
});

async function choose(password: string, confirmation = password) {
  await userEvent.type(screen.getByLabelText("Nouveau mot de passe"), password);
  await userEvent.type(screen.getByLabelText("Confirmation du nouveau mot de passe"), confirmation);
  await userEvent.click(screen.getByRole("button", { name: "Enregistrer le mot de passe" }));
}

describe("choosing a password with a one-time link", () => {
  it("sends the link's secret with the new password, after taking it out of the address bar", async () => {
    const { requests } = mockApi({ "POST /api/auth/password": () => new Response(null, { status: 204 }) });
    openLink("/mot-de-passe#secret-du-lien");
    expect(window.location.hash).toBe("");
    await choose("mon mot de passe à moi");
    expect(await screen.findByText("Mot de passe enregistré")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "vous connecter" })).toHaveAttribute("href", "/connexion");
    expect(await requests[0].json()).toEqual({
      token: "secret-du-lien",
      new_password: "mon mot de passe à moi",
    });
  });

  it("says when the link is expired or already used", async () => {
    mockApi({
      "POST /api/auth/password": () =>
        json(
          { status: 400, code: "invalid-password-token", title: "Lien invalide, expiré ou déjà utilisé" },
          400,
        ),
    });
    openLink("/mot-de-passe#vieux-lien");
    await choose("mon mot de passe à moi");
    expect(await screen.findByRole("alert")).toHaveTextContent("Lien invalide, expiré ou déjà utilisé");
  });

  it("shows the length rule while typing", async () => {
    mockApi({});
    openLink("/mot-de-passe#x");
    await userEvent.type(screen.getByLabelText("Nouveau mot de passe"), "court");
    expect(screen.getByText("12 caractères au moins").closest("p")).toHaveClass("fr-message--error");
  });

  it("asks for the full link when the secret is missing", () => {
    openLink("/mot-de-passe");
    expect(screen.getByText("Lien incomplet")).toBeInTheDocument();
  });
});

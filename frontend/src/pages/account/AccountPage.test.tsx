import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { MEDIATOR_ACCOUNT } from "../../test/accounts";
import { json, mockApi } from "../../test/api";
import { renderAt, signIn, signOut } from "../../test/render";
import AccountPage from "./AccountPage";

const ME = { kind: "user", subject: "u2", name: "Inès Martin", role: "mediator", scopes: ["surveys:write"] };
const ACCOUNT = MEDIATOR_ACCOUNT;
const routes = [{ path: "/mon-compte", element: <AccountPage /> }];

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("my account", () => {
  it("shows the account and changes the display name", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": [() => json(ME), () => json({ ...ME, name: "Inès M." })],
      "GET /api/auth/account": () => json(ACCOUNT),
      "PATCH /api/auth/account": () => json({ ...ACCOUNT, display_name: "Inès M." }),
    });
    renderAt("/mon-compte", routes);
    expect(await screen.findByText("ines@savoie.fr")).toBeInTheDocument();
    expect(screen.getByText("Médiateur")).toBeInTheDocument();
    const name = screen.getByLabelText(/^Nom affiché/);
    await userEvent.clear(name);
    await userEvent.type(name, "Inès M.");
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer le nom" }));
    expect(await screen.findByText("Nom enregistré.")).toBeInTheDocument();
    const patch = requests.find((request) => request.method === "PATCH")!;
    expect(await patch.json()).toEqual({ display_name: "Inès M." });
    expect(patch.headers.get("X-CSRF-Token")).toBe("jeton");
  });

  it("does not send two different new passwords", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(ME),
      "GET /api/auth/account": () => json(ACCOUNT),
    });
    renderAt("/mon-compte", routes);
    await userEvent.type(await screen.findByLabelText("Mot de passe actuel"), "ancien mot de passe");
    await userEvent.type(screen.getByLabelText("Nouveau mot de passe"), "un nouveau mot de passe");
    await userEvent.type(
      screen.getByLabelText("Confirmation du nouveau mot de passe"),
      "un autre mot de passe",
    );
    await userEvent.click(screen.getByRole("button", { name: "Changer le mot de passe" }));
    expect(await screen.findByText("Les deux mots de passe sont différents.")).toBeInTheDocument();
    expect(requests.some((request) => request.method === "POST")).toBe(false);
  });

  it("says when the current password is wrong, and when the change is done", async () => {
    const wrong = json(
      {
        status: 422,
        code: "validation-error",
        title: "Données invalides",
        errors: [{ field: "current_password", reason: "Mot de passe actuel incorrect" }],
      },
      422,
    );
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(ME),
      "GET /api/auth/account": () => json(ACCOUNT),
      "POST /api/auth/account/password": [() => wrong, () => new Response(null, { status: 204 })],
    });
    renderAt("/mon-compte", routes);
    await userEvent.type(await screen.findByLabelText("Mot de passe actuel"), "pas le bon");
    await userEvent.type(screen.getByLabelText("Nouveau mot de passe"), "un nouveau mot de passe");
    await userEvent.type(
      screen.getByLabelText("Confirmation du nouveau mot de passe"),
      "un nouveau mot de passe",
    );
    await userEvent.click(screen.getByRole("button", { name: "Changer le mot de passe" }));
    expect(await screen.findAllByText(/Mot de passe actuel incorrect/)).not.toHaveLength(0);

    await userEvent.clear(screen.getByLabelText("Mot de passe actuel"));
    await userEvent.type(screen.getByLabelText("Mot de passe actuel"), "le bon mot de passe");
    await userEvent.click(screen.getByRole("button", { name: "Changer le mot de passe" }));
    expect(await screen.findByText(/Vos autres sessions .* sont fermées/)).toBeInTheDocument();
    expect(await requests.at(-1)!.json()).toEqual({
      current_password: "le bon mot de passe",
      new_password: "un nouveau mot de passe",
    });
    expect(screen.getByLabelText("Nouveau mot de passe")).toHaveValue("");
  });
});

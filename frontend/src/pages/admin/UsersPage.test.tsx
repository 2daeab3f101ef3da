import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { MEDIATOR_ACCOUNT } from "../../test/accounts";
import { json, mockApi } from "../../test/api";
import { ADMIN, renderAt, signIn, signOut } from "../../test/render";
import UsersPage from "./UsersPage";
import { passwordLink } from "./users/OneTimeLink";

const USER = MEDIATOR_ACCOUNT;
const SELF = { ...USER, id: "u1", email: "admin@savoie.fr", display_name: "Camille Martin", role: "admin" };
const page = (items: unknown[]) => json({ items, total: items.length, page: 1, size: 20 });
const routes = [{ path: "/administration/comptes", element: <UsersPage /> }];

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

async function rowOf(name: string) {
  return (await screen.findByRole("rowheader", { name: new RegExp(name) })).closest("tr")!;
}

describe("accounts", () => {
  it("lists the accounts and filters them by role and state", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/auth/users": (request) =>
        new URL(request.url).searchParams.get("role") === "mediator" ? page([USER]) : page([SELF, USER]),
    });
    renderAt("/administration/comptes", routes);
    expect(await rowOf("Camille Martin")).toHaveTextContent("(vous)");
    expect(screen.getByText("2 compte(s)")).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText("Filtrer par rôle"), "mediator");
    await userEvent.selectOptions(screen.getByLabelText("Filtrer par état"), "false");
    const last = new URL(requests.at(-1)!.url).searchParams;
    expect(Object.fromEntries(last)).toEqual({ page: "1", size: "20", role: "mediator", active: "false" });
  });

  it("creates an account without a password and shows its one-time link once", async () => {
    const token = { token: "secret-du-lien", expires_at: "2026-12-02T10:00:00Z" };
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/auth/users": [() => page([SELF]), () => page([SELF, USER])],
      "POST /api/auth/users": () => json({ ...USER, password_set: false, password_token: token }, 201),
    });
    renderAt("/administration/comptes", routes);
    await rowOf("Camille Martin");
    const form = screen.getByRole("heading", { name: "Créer un compte" }).closest("form")!;
    await userEvent.type(within(form).getByLabelText("Adresse électronique"), "ines@savoie.fr");
    await userEvent.type(within(form).getByLabelText("Nom affiché"), "Inès Martin");
    await userEvent.selectOptions(within(form).getByLabelText("Rôle"), "mediator");
    await userEvent.click(within(form).getByRole("button", { name: "Créer le compte" }));

    expect(await screen.findByTestId("password-link")).toHaveTextContent(
      `${window.location.origin}/mot-de-passe#secret-du-lien`,
    );
    const body = await requests.find((request) => request.method === "POST")!.json();
    expect(body).toEqual({ email: "ines@savoie.fr", display_name: "Inès Martin", role: "mediator" });
    await userEvent.click(screen.getByRole("button", { name: "J'ai transmis le lien" }));
    expect(screen.queryByTestId("password-link")).toBeNull();
  });

  it("deactivates an account only after a confirmation that says what happens", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/auth/users": [() => page([USER]), () => page([{ ...USER, active: false }])],
      "POST /api/auth/users/u2/deactivation": () => json({ ...USER, active: false }),
    });
    renderAt("/administration/comptes", routes);
    const row = await rowOf("Inès Martin");
    await userEvent.click(within(row).getByRole("button", { name: "Désactiver" }));
    expect(within(row).getByText(/sera déconnecté partout/)).toBeInTheDocument();
    expect(requests.some((request) => request.method === "POST")).toBe(false);
    await userEvent.click(within(row).getByRole("button", { name: "Confirmer la désactivation" }));
    expect(await within(row).findByText("désactivé")).toBeInTheDocument();
    expect(within(row).getByRole("button", { name: "Réactiver" })).toBeInTheDocument();
  });

  it("says why the last active administrator cannot be deactivated", async () => {
    mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/auth/users": () => page([SELF]),
      "POST /api/auth/users/u1/deactivation": () =>
        json(
          {
            status: 409,
            code: "last-active-admin",
            title: "Dernier administrateur actif",
            detail: "La plateforme doit garder au moins un administrateur actif.",
          },
          409,
        ),
    });
    renderAt("/administration/comptes", routes);
    const row = await rowOf("Camille Martin");
    await userEvent.click(within(row).getByRole("button", { name: "Désactiver" }));
    await userEvent.click(within(row).getByRole("button", { name: "Confirmer la désactivation" }));
    expect(await within(row).findByRole("alert")).toHaveTextContent("au moins un administrateur actif");
  });

  it("changes an account's role", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/auth/users": [() => page([USER]), () => page([{ ...USER, role: "coordinator" }])],
      "PATCH /api/auth/users/u2": () => json({ ...USER, role: "coordinator" }),
    });
    renderAt("/administration/comptes", routes);
    await userEvent.click(within(await rowOf("Inès Martin")).getByRole("button", { name: "Modifier" }));
    const form = screen.getByRole("heading", { name: "Modifier le compte de Inès Martin" }).closest("form")!;
    expect(within(form).getByRole("heading")).toHaveFocus();
    await userEvent.selectOptions(within(form).getByLabelText(/Rôle/), "coordinator");
    await userEvent.click(within(form).getByRole("button", { name: "Enregistrer" }));
    expect(await within(await rowOf("Inès Martin")).findByText("Coordinateur")).toBeInTheDocument();
    const body = await requests.find((request) => request.method === "PATCH")!.json();
    expect(body).toEqual({ display_name: "Inès Martin", role: "coordinator" });
  });

  it("builds the link with the secret in the fragment, which browsers never send to a server", () => {
    expect(passwordLink("abc", "https://fne.savoie.fr")).toBe("https://fne.savoie.fr/mot-de-passe#abc");
  });
});

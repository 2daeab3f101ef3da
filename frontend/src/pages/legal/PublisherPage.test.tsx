import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../test/api";
import { renderAt } from "../../test/render";
import AccessibilityPage from "./AccessibilityPage";
import LegalNoticePage from "./LegalNoticePage";
import PersonalDataPage from "./PersonalDataPage";

const SITE = {
  editeur: "Communauté de communes Cœur de Savoie",
  editeur_adresse: "Place Albert Serraz, 73800 Montmélian",
  directeur_publication: "Le président de la communauté de communes",
  courriel_contact: "numerique@coeurdesavoie.fr",
  contact_donnees_personnelles: "rgpd@coeurdesavoie.fr",
  hebergeur: "Hébergeur de la communauté de communes",
  audit_accessibilite_le: null as string | null,
};

afterEach(() => vi.unstubAllGlobals());

describe("the legal pages name the publisher the gateway is configured with", () => {
  it("legal notice", async () => {
    mockApi({ "GET /api/site": () => json(SITE) });
    renderAt("/mentions-legales", [{ path: "/mentions-legales", element: <LegalNoticePage /> }]);
    expect(await screen.findByText(/Place Albert Serraz/)).toBeInTheDocument();
    expect(screen.getByText("Le président de la communauté de communes")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "numerique@coeurdesavoie.fr" })).toHaveAttribute(
      "href",
      "mailto:numerique@coeurdesavoie.fr",
    );
    expect(document.title).toBe("Mentions légales — FNE Savoie");
  });

  it("personal data", async () => {
    mockApi({ "GET /api/site": () => json(SITE) });
    renderAt("/donnees-personnelles", [{ path: "/donnees-personnelles", element: <PersonalDataPage /> }]);
    expect(
      await screen.findByText(/Responsable des traitements : Communauté de communes Cœur de Savoie/),
    ).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "rgpd@coeurdesavoie.fr" })).toBeInTheDocument();
  });

  it("accessibility statement, with and without an audit", async () => {
    mockApi({
      "GET /api/site": [() => json(SITE), () => json({ ...SITE, audit_accessibilite_le: "2026-10-15" })],
    });
    const first = renderAt("/accessibilite", [{ path: "/accessibilite", element: <AccessibilityPage /> }]);
    expect(await screen.findByText(/est non conforme/)).toBeInTheDocument();
    first.unmount();
    renderAt("/accessibilite", [{ path: "/accessibilite", element: <AccessibilityPage /> }]);
    expect(await screen.findByText(/d'après l'audit du 15 octobre 2026/)).toBeInTheDocument();
  });

  it("says so when the details cannot be loaded", async () => {
    mockApi({
      "GET /api/site": () => json({ status: 503, title: "Service momentanément indisponible" }, 503),
    });
    renderAt("/mentions-legales", [{ path: "/mentions-legales", element: <LegalNoticePage /> }]);
    expect(
      await screen.findByText("La lecture des informations de l'éditeur est momentanément indisponible"),
    ).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Réessayer" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1, name: "Mentions légales" })).toBeInTheDocument();
  });
});

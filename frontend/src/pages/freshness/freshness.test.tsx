import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { Place } from "../../api/types";
import { modifications } from "../../lib/corrections";
import { json, mockApi } from "../../test/api";
import { renderAt, signIn, signOut } from "../../test/render";
import LoginPage from "../LoginPage";
import ProposalsPage from "../admin/ProposalsPage";
import { FollowSearch } from "./FollowSearch";
import FreshnessPage from "./FreshnessPage";
import { ReportErrorForm } from "./ReportErrorForm";

afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
  window.location.hash = "";
});

const PLACE = {
  id: "p1",
  nom: "Médiathèque Jean-Jacques Rousseau",
  commune: "Chambéry",
  adresse: "Carré Curial",
  code_postal: "73000",
  telephone: "+33479600404",
  courriels: ["mediatheques@chambery.fr"],
  site_web: [],
  horaires: "Tu-Sa 10:00-18:00",
  presentation_resume: null,
  date_maj: "2026-01-05",
} as unknown as Place;

describe("signaler une erreur", () => {
  it("sends a report without any personal data and thanks the person", async () => {
    const { requests } = mockApi({
      "POST /api/directory/lieux/p1/signalements": () => new Response(null, { status: 201 }),
    });
    renderAt("/lieux/p1", [{ path: "/lieux/p1", element: <ReportErrorForm place={PLACE} /> }]);
    await userEvent.click(screen.getByRole("button", { name: "Signaler une erreur" }));
    await userEvent.selectOptions(screen.getByLabelText("Ce qui ne va pas"), "horaires");
    await userEvent.type(screen.getByLabelText(/Horaires exacts/), "Tu-Fr 10:00-18:00");
    await userEvent.type(screen.getByLabelText(/Précisions/), "Fermé le samedi désormais");
    await userEvent.click(screen.getByRole("button", { name: "Envoyer le signalement" }));
    expect(await screen.findByText(/Votre signalement a été transmis/)).toBeInTheDocument();
    expect(await requests[0].json()).toEqual({
      motif: "horaires",
      message: "Fermé le samedi désormais",
      modifications: { horaires: "Tu-Fr 10:00-18:00" },
    });
  });

  it("keeps only what changed, lists one value per line", () => {
    const current = PLACE as unknown as Record<string, unknown>;
    expect(
      modifications({ nom: PLACE.nom, courriels: "a@b.fr\n c@d.fr \n", telephone: "" }, current),
    ).toEqual({
      courriels: ["a@b.fr", "c@d.fr"],
      telephone: null,
    });
  });
});

describe("the freshness link", () => {
  it("shows the place, then confirms it, the secret read from the fragment only", async () => {
    const { requests } = mockApi({
      "POST /api/directory/fraicheur/lecture": () => json({ lieu: PLACE, expire_le: "2027-01-02T10:00:00Z" }),
      "POST /api/directory/fraicheur/confirmation": () =>
        json({ statut: "confirme", date_maj: "2026-12-03" }),
    });
    window.location.hash = "#jeton-secret-de-test-0123456789";
    renderAt("/lieux/mise-a-jour", [{ path: "/lieux/mise-a-jour", element: <FreshnessPage /> }]);
    expect(await screen.findByText("Carré Curial")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Tout est juste" }));
    expect(await screen.findByText(/La fiche est confirmée/)).toBeInTheDocument();
    expect(await requests[1].json()).toEqual({ jeton: "jeton-secret-de-test-0123456789" });
    expect(requests.every((request) => !request.url.includes("jeton-secret"))).toBe(true);
  });

  it("says in French when the link was already used", async () => {
    mockApi({
      "POST /api/directory/fraicheur/lecture": () =>
        json(
          {
            title: "Lien déjà utilisé",
            status: 410,
            detail: "Ce lien a déjà servi : votre réponse a bien été reçue.",
          },
          410,
        ),
    });
    window.location.hash = "#jeton-secret-de-test-0123456789";
    renderAt("/lieux/mise-a-jour", [{ path: "/lieux/mise-a-jour", element: <FreshnessPage /> }]);
    expect(await screen.findByText(/Ce lien a déjà servi/)).toBeInTheDocument();
  });
});

describe("the coordinators' review", () => {
  it("shows what a proposal changes and accepts it", async () => {
    signIn();
    const proposal = {
      id: 7,
      place_id: "p1",
      nom_lieu: PLACE.nom,
      commune: "Chambéry",
      origin: "contact",
      reason: null,
      message: "Nouveaux horaires",
      diff: { horaires: ["Tu-Sa 10:00-18:00", "Mo-Fr 09:00-17:00"] },
      status: "en_attente",
      created_at: "2026-12-01T10:00:00Z",
      decided_at: null,
      decided_by: null,
      decision_note: null,
    };
    const { requests } = mockApi({
      "GET /api/auth/me": () =>
        json({
          kind: "user",
          subject: "u1",
          name: "Camille",
          role: "coordinator",
          scopes: ["directory:write"],
        }),
      "GET /api/directory/revue/propositions": [
        () => json({ items: [proposal], total: 1, page: 1, size: 50 }),
        () => json({ items: [], total: 0, page: 1, size: 50 }),
      ],
      "GET /api/directory/fraicheur/demandes": () => json({ items: [], total: 0, page: 1, size: 50 }),
      "POST /api/directory/revue/propositions/7/acceptation": () => json({ ...proposal, status: "acceptee" }),
    });
    renderAt("/administration/propositions", [
      { path: "/administration/propositions", element: <ProposalsPage /> },
    ]);
    expect(await screen.findByText("Mo-Fr 09:00-17:00")).toBeInTheDocument();
    expect(screen.getByText("« Nouveaux horaires »")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Accepter et publier" }));
    expect(await screen.findByText("Aucune proposition dans cette liste.")).toBeInTheDocument();
    expect(requests.some((request) => request.url.endsWith("/propositions/7/acceptation"))).toBe(true);
  });
});

describe("ProConnect", () => {
  it("offers the official button when configured, and says why a return signed no one in", async () => {
    mockApi({ "GET /api/auth/proconnect": () => json({ active: true }) });
    renderAt("/connexion?proconnect=attente", [{ path: "/connexion", element: <LoginPage /> }]);
    const button = await screen.findByRole("link", { name: /S’identifier avec\s*ProConnect/ });
    expect(button).toHaveAttribute("href", "/api/auth/proconnect/connexion");
    expect(screen.getByText("Compte en attente")).toBeInTheDocument();
  });

  it("shows no button when ProConnect is not configured", async () => {
    const { requests } = mockApi({ "GET /api/auth/proconnect": () => json({ active: false }) });
    renderAt("/connexion", [{ path: "/connexion", element: <LoginPage /> }]);
    expect(await screen.findByRole("button", { name: "Se connecter" })).toBeInTheDocument();
    await vi.waitFor(() => expect(requests.length).toBe(1));
    expect(screen.queryByText(/ProConnect/)).not.toBeInTheDocument();
  });
});

describe("following a search", () => {
  it("asks for an address and says a confirmation link was sent", async () => {
    const { requests } = mockApi({
      "POST /api/directory/recherches": () => json({ statut: "confirmation_envoyee" }, 202),
    });
    renderAt("/", [{ path: "/", element: <FollowSearch query="code_insee=73065" label="Chambéry" /> }]);
    await userEvent.click(screen.getByRole("button", { name: "Suivre cette recherche par courriel" }));
    await userEvent.type(screen.getByLabelText(/Adresse électronique/), "habitant@exemple.fr");
    await userEvent.click(screen.getByRole("button", { name: "Recevoir les nouveautés" }));
    expect(await screen.findByText(/confirmez le suivi avec le lien/)).toBeInTheDocument();
    expect(await requests[0].json()).toEqual({
      courriel: "habitant@exemple.fr",
      recherche: "code_insee=73065",
      libelle: "Chambéry",
    });
  });

  it("says when the platform sends no e-mail", async () => {
    mockApi({
      "POST /api/directory/recherches": () =>
        json(
          {
            title: "Envoi de courriels indisponible",
            status: 404,
            detail: "Le suivi des recherches par courriel n'est pas proposé sur cette plateforme.",
          },
          404,
        ),
    });
    renderAt("/", [{ path: "/", element: <FollowSearch query="" label="Lieux" /> }]);
    await userEvent.click(screen.getByRole("button", { name: "Suivre cette recherche par courriel" }));
    await userEvent.type(screen.getByLabelText(/Adresse électronique/), "habitant@exemple.fr");
    await userEvent.click(screen.getByRole("button", { name: "Recevoir les nouveautés" }));
    expect(await screen.findByText(/n'est pas proposé sur cette plateforme/)).toBeInTheDocument();
  });
});

import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../../test/api";
import { renderAt, signIn, signOut } from "../../../test/render";
import CalculationsPage from "./CalculationsPage";

const COORDINATOR = {
  kind: "user",
  subject: "u2",
  name: "Alex",
  role: "coordinator",
  scopes: ["observatory:write"],
};
const RESULT = {
  id: "imp9",
  jeu: "annuaire-2026-12",
  version: 1,
  type: "annuaire",
  titre: "Indicateurs de l'annuaire, 2026-12",
  source: "Annuaire",
  millesime: "2026-12-03",
  statut_valeurs: "definitif",
  statut: "publie",
  fichier: null,
  empreinte_sha256: null,
  parametres: {},
  rapport: { communes: 273 },
  observations: 2184,
  cree_le: "2026-12-03T12:00:00Z",
  cree_par: "Alex (user:u2)",
  publie_le: "2026-12-03T12:00:00Z",
  publie_par: "Alex (user:u2)",
  retire_le: null,
  retire_par: null,
  note: null,
};
// The observatory's job resource (GET /calculs/taches/{id}), as tests/observatory/test_computation_jobs.py reads it.
const job = (statut: string, avancement: number, message: string, resultat: object | null = null) => ({
  id: "8c1b7c3e-3f7e-4f57-9d3c-2d5f0c7e1a11",
  type: "annuaire",
  statut,
  avancement,
  message,
  parametres: { perimetre: ["73"], seuil_minutes: 20 },
  cree_par: "Alex (user:u2)",
  cree_le: "2026-12-03T12:00:00Z",
  commence_le: "2026-12-03T12:00:01Z",
  signe_de_vie_le: "2026-12-03T12:00:02Z",
  termine_le: null,
  import_id: resultat ? "imp9" : null,
  resultat,
  resultats: resultat ? [resultat] : [],
  ignorees: {},
  annule_par: null,
  erreur: null,
});
const ROADMAP_JOB = "5d0c2a61-8f1e-4c39-9a57-0b6f3e2d4c10";
const roadmapJob = (statut: string, avancement: number, message: string, extra: object = {}) => ({
  ...job(statut, avancement, message),
  id: ROADMAP_JOB,
  type: "feuille-de-route",
  parametres: { sources: ["annuaire", "reseau", "observatoire"], ignorees: {} },
  ...extra,
});

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("the observatory's computations", () => {
  it("follows the 202 job of the directory's computation to its published result", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "POST /api/observatory/calculs/annuaire": () =>
        json(job("en_attente", 0, "En attente de démarrage"), 202, {
          Location: "/calculs/taches/8c1b7c3e-3f7e-4f57-9d3c-2d5f0c7e1a11",
        }),
      "GET /api/observatory/calculs/taches/8c1b7c3e-3f7e-4f57-9d3c-2d5f0c7e1a11": [
        () => json(job("en_cours", 0.3, "Temps d'accès de 273 communes à 41 conseillers numériques")),
        () => json(job("reussie", 1, "Calcul publié", RESULT)),
      ],
    });
    renderAt("/administration/observatoire/calculs", [
      { path: "/administration/observatoire/calculs", element: <CalculationsPage /> },
    ]);
    await userEvent.click(
      await screen.findByRole("button", { name: "Calculer les indicateurs de l'annuaire" }),
    );
    expect(
      await screen.findByText(/Temps d'accès de 273 communes/, {}, { timeout: 3000 }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/Avancement : 30 %/)).toBeInTheDocument();
    const done = await screen.findByText("Calcul terminé", {}, { timeout: 4000 });
    expect(done).toBeInTheDocument();
    const section = screen.getByRole("region", { name: "Indicateurs tirés de l'annuaire" });
    expect(within(section).getByRole("link", { name: "Lire le rapport du calcul" })).toHaveAttribute(
      "href",
      "/administration/observatoire/imports/imp9",
    );
    expect(requests.filter((request) => request.url.includes("/calculs/taches/")).length).toBe(2);
  });

  it("follows the roadmap's job to one version per source, unchanged ones said so", async () => {
    const network = {
      ...RESULT,
      id: "imp10",
      jeu: "fdr-reseau",
      titre: "Réseau : personnes, formations, événements",
      version: 3,
      cree_le: "2026-12-01T04:00:00Z",
      verifie_le: "2026-12-03T12:00:05Z",
    };
    const permanences = {
      ...RESULT,
      id: "imp11",
      jeu: "fdr-permanences-2026-12",
      titre: "Permanences, 2026-12",
      observations: 819,
      verifie_le: RESULT.cree_le,
    };
    mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "POST /api/observatory/calculs/feuille-de-route": () =>
        json(roadmapJob("en_attente", 0, "En attente de démarrage"), 202, {
          Location: `/calculs/taches/${ROADMAP_JOB}`,
        }),
      [`GET /api/observatory/calculs/taches/${ROADMAP_JOB}`]: () =>
        json(
          roadmapJob("reussie", 1, "Calcul publié", {
            import_id: "imp11",
            resultat: permanences,
            resultats: [permanences, network],
            ignorees: { coop: "non configurée (OBSERVATORY_COOP_TOKEN vide)" },
          }),
        ),
    });
    renderAt("/administration/observatoire/calculs", [
      { path: "/administration/observatoire/calculs", element: <CalculationsPage /> },
    ]);
    await userEvent.click(await screen.findByRole("button", { name: "Calculer la feuille de route" }));
    const section = screen.getByRole("region", { name: "Feuille de route calculée" });
    expect(await within(section).findByText("Calcul terminé", {}, { timeout: 4000 })).toBeInTheDocument();
    expect(within(section).getByRole("link", { name: "Permanences, 2026-12" })).toHaveAttribute(
      "href",
      "/administration/observatoire/imports/imp11",
    );
    expect(within(section).getByText(/819 valeurs publiées/)).toBeInTheDocument();
    expect(within(section).getByText(/valeurs inchangées depuis le/)).toBeInTheDocument();
    expect(
      within(section).getByText(/La Coop de la médiation numérique : non configurée/),
    ).toBeInTheDocument();
  });

  it("cancels a running computation: it stops and publishes nothing", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "POST /api/observatory/calculs/feuille-de-route": () =>
        json(roadmapJob("en_attente", 0, "En attente de démarrage"), 202, {
          Location: `/calculs/taches/${ROADMAP_JOB}`,
        }),
      [`GET /api/observatory/calculs/taches/${ROADMAP_JOB}`]: [
        () => json(roadmapJob("en_cours", 0.05, "Lecture de l'annuaire")),
        () =>
          json(
            roadmapJob("annulee", 0.05, "Annulé par Alex (user:u2) : rien n'a été publié", {
              annule_par: "Alex (user:u2)",
            }),
          ),
      ],
      [`POST /api/observatory/calculs/taches/${ROADMAP_JOB}/annulation`]: () =>
        json(
          roadmapJob("annulee", 0.05, "Annulé par Alex (user:u2) : rien n'a été publié", {
            annule_par: "Alex (user:u2)",
          }),
        ),
    });
    renderAt("/administration/observatoire/calculs", [
      { path: "/administration/observatoire/calculs", element: <CalculationsPage /> },
    ]);
    await userEvent.click(await screen.findByRole("button", { name: "Calculer la feuille de route" }));
    const section = screen.getByRole("region", { name: "Feuille de route calculée" });
    await userEvent.click(
      await within(section).findByRole("button", { name: "Annuler le calcul" }, { timeout: 3000 }),
    );
    expect(
      await within(section).findByText(/rien n'a été publié/, {}, { timeout: 4000 }),
    ).toBeInTheDocument();
    expect(within(section).getByText("annulé")).toBeInTheDocument();
    expect(within(section).queryByText("Calcul terminé")).not.toBeInTheDocument();
    expect(within(section).queryByRole("button", { name: "Annuler le calcul" })).not.toBeInTheDocument();
    expect(requests.some((request) => request.url.endsWith("/annulation"))).toBe(true);
  });
});

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
const job = (status: string, progress: number, message: string, result: object | null = null) => ({
  id: "8c1b7c3e-3f7e-4f57-9d3c-2d5f0c7e1a11",
  kind: "annuaire",
  status,
  progress,
  message,
  parameters: { perimetre: ["73"], seuil_minutes: 20 },
  actor: "Alex (user:u2)",
  created_at: "2026-12-03T12:00:00Z",
  started_at: "2026-12-03T12:00:01Z",
  heartbeat_at: "2026-12-03T12:00:02Z",
  finished_at: null,
  import_id: result ? "imp9" : null,
  result,
  error: null,
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
        json(job("queued", 0, "En attente de démarrage"), 202, {
          Location: "/calculs/taches/8c1b7c3e-3f7e-4f57-9d3c-2d5f0c7e1a11",
        }),
      "GET /api/observatory/calculs/taches/8c1b7c3e-3f7e-4f57-9d3c-2d5f0c7e1a11": [
        () => json(job("running", 0.3, "Temps d'accès de 273 communes à 41 conseillers numériques")),
        () => json(job("succeeded", 1, "Calcul publié", RESULT)),
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
});

import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { components } from "../../../api/schema";
import { json, mockApi } from "../../../test/api";
import { renderAt, signIn, signOut } from "../../../test/render";
import SyncPage from "./SyncPage";

type Job = components["schemas"]["DirectoryJobOut"];
type Source = components["schemas"]["DirectorySourceOut"];

const COORDINATOR = {
  kind: "user",
  subject: "u2",
  name: "Alex",
  role: "coordinator",
  scopes: ["sync:run", "directory:write"],
};
// The directory's run resource (GET /sync/taches/{id}), as tests/sync/test_api.py reads it.
const DONE: Job = {
  id: "0b8f7c2e-5d1a-4e8b-9c3f-1a2b3c4d5e6f",
  source: "data-inclusion",
  declencheur: "planification",
  cree_par: "planification",
  statut: "reussie",
  commence_le: "2026-12-03T04:00:00Z",
  signe_de_vie_le: "2026-12-03T04:01:00Z",
  termine_le: "2026-12-03T04:01:30Z",
  annulation_demandee: false,
  instantane_complet: true,
  compteurs: { lus: 6, crees: 2, inchanges: 0, en_quarantaine: 1 },
  erreurs: [],
  message: null,
};
const RUNNING: Job = {
  ...DONE,
  id: "7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3921",
  source: "dora",
  declencheur: "api",
  cree_par: "Alex (user:u2)",
  statut: "en_cours",
  commence_le: "2026-12-03T12:00:00Z",
  termine_le: null,
  compteurs: { lus: 40 },
};
const SOURCES: Source[] = [
  {
    nom: "data-inclusion",
    libelle: "data·inclusion",
    configuree: true,
    intervalle_minutes: 1440,
    derniere_tache: DONE,
    prochaine_execution_le: "2026-12-04T04:00:00Z",
  },
  {
    nom: "mednum73",
    libelle: "Mednum73",
    configuree: false,
    intervalle_minutes: null,
    derniere_tache: null,
    prochaine_execution_le: null,
  },
];
const page = (items: Job[]) => ({ items, total: items.length, page: 1, size: 20 });

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("the directory's synchronisation page", () => {
  it("shows each source's last run and each run's state and counts, in words", async () => {
    mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/directory/sync/taches": () => json(page([DONE])),
      "GET /api/directory/sync/sources": () => json(SOURCES),
    });
    renderAt("/administration/synchronisation", [
      { path: "/administration/synchronisation", element: <SyncPage /> },
    ]);
    const sources = await screen.findByRole("table", { name: "Sources de lieux" }, { timeout: 5000 });
    const configured = within(sources).getByRole("row", { name: /data-inclusion/ });
    expect(within(configured).getByText("réussie")).toBeInTheDocument();
    expect(within(configured).getByRole("button", { name: "Synchroniser « data·inclusion »" })).toBeEnabled();
    const missing = within(sources).getByRole("row", { name: /mednum73/ });
    expect(within(missing).getByText("non configurée")).toBeInTheDocument();
    expect(within(missing).getByText("jamais")).toBeInTheDocument();
    expect(
      await screen.findByText("6 lus, 2 lieux créés, 1 en quarantaine", {}, { timeout: 5000 }),
    ).toBeInTheDocument();
  });

  it("starts a source at its tasks' address and cancels a running one", async () => {
    // The service's state: no run, then one running once started, then its cancellation asked.
    let run: Job | undefined;
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/directory/sync/taches": () => json(page(run ? [run, DONE] : [DONE])),
      "GET /api/directory/sync/sources": () => json(SOURCES),
      "POST /api/directory/sync/sources/data-inclusion/taches": () => {
        run = { ...RUNNING, source: "data-inclusion" };
        return json(run, 202, { Location: `/sync/taches/${RUNNING.id}` });
      },
      [`POST /api/directory/sync/taches/${RUNNING.id}/annulation`]: () => {
        run = { ...RUNNING, source: "data-inclusion", annulation_demandee: true };
        return json(run);
      },
    });
    renderAt("/administration/synchronisation", [
      { path: "/administration/synchronisation", element: <SyncPage /> },
    ]);
    await userEvent.click(
      await screen.findByRole("button", { name: "Synchroniser « data·inclusion »" }, { timeout: 5000 }),
    );
    expect(
      await screen.findByText(/Exécution « data-inclusion »/, {}, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(screen.getAllByText("en cours").length).toBeGreaterThan(0);
    await userEvent.click(await screen.findByRole("button", { name: "Annuler" }, { timeout: 5000 }));
    expect(await screen.findByText("annulation demandée", {}, { timeout: 5000 })).toBeInTheDocument();
    expect(requests.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toEqual(
      expect.arrayContaining([
        "POST /api/directory/sync/sources/data-inclusion/taches",
        `POST /api/directory/sync/taches/${RUNNING.id}/annulation`,
      ]),
    );
  });
});

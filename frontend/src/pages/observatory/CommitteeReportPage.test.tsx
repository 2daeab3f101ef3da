import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../test/api";
import { renderAt } from "../../test/render";
import CommitteeReportPage from "./CommitteeReportPage";
import CommitteesPage from "./CommitteesPage";

afterEach(() => vi.unstubAllGlobals());

const MEETING = {
  id: 3,
  type: "comite_suivi",
  date: "2026-03-12",
  titre: "Comité de printemps",
  lieu: "Chambéry",
  notes: "Prochain comité en juin.",
  documents: [{ titre: "Diaporama", url: "https://savoie.fr/comite.pdf" }],
  reunion_precedente: 1,
};
const REPORT = `<!DOCTYPE html><html lang="fr"><head><style>h1{}</style></head><body><header><h1>Feuille de route</h1>
<p class="meta">Évolutions depuis la réunion du 1 décembre 2025.</p></header>
<section aria-labelledby="synthese"><h2 id="synthese">Synthèse</h2><table><caption>État des 21 objectifs</caption><tbody><tr><th scope="row">En retard</th><td>2</td></tr></tbody></table>
<p><strong>Documents :</strong> <a href="https://savoie.fr/comite.pdf">Diaporama</a></p></section>
<section aria-labelledby="axe-1"><h2 id="axe-1">Axe 1 — Accompagner</h2><h3>Objectif 1 <span class="statut s-en_retard">En retard</span></h3></section></body></html>`;

describe("the committee pages", () => {
  it("list the meetings with a link to each report", async () => {
    mockApi({
      "GET /api/auth/me": () => json(null, 401),
      "GET /api/observatory/comites": () => json({ items: [MEETING], total: 1, page: 1, size: 100 }),
    });
    renderAt("/observatoire/comites", [{ path: "/observatoire/comites", element: <CommitteesPage /> }]);
    const link = await screen.findByRole("link", {
      name: /Comité de printemps : rapport du comité de suivi du 12 mars 2026/,
    });
    expect(link).toHaveAttribute("href", "/observatoire/comites/3");
  });

  it("list the latest meeting first, and sort by another column on demand", async () => {
    const autumn = { ...MEETING, id: 5, date: "2026-10-02", titre: "Comité d'automne", lieu: "Albertville" };
    const winter = { ...MEETING, id: 1, date: "2025-12-01", titre: "Bilan d'hiver", lieu: null };
    mockApi({
      "GET /api/auth/me": () => json(null, 401),
      "GET /api/observatory/comites": () =>
        json({ items: [MEETING, winter, autumn], total: 3, page: 1, size: 100 }),
    });
    renderAt("/observatoire/comites", [{ path: "/observatoire/comites", element: <CommitteesPage /> }]);
    const region = await screen.findByRole("region", { name: "Réunions" });
    const titles = () =>
      within(region)
        .getAllByRole("rowheader")
        .map((cell) => cell.textContent);
    expect(titles()).toEqual(["Comité d'automne", "Comité de printemps", "Bilan d'hiver"]);
    await userEvent.click(within(region).getByRole("button", { name: /^Réunion/ }));
    expect(titles()).toEqual(["Bilan d'hiver", "Comité d'automne", "Comité de printemps"]);
  });

  it("render the report in the page, with its print version, CSV and documents", async () => {
    mockApi({
      "GET /api/auth/me": () => json(null, 401),
      "GET /api/observatory/comites/3": () => json(MEETING),
      "GET /api/observatory/comites/3/rapport": () =>
        new Response(REPORT, { headers: { "content-type": "text/html; charset=utf-8" } }),
    });
    renderAt("/observatoire/comites/3", [
      { path: "/observatoire/comites/:id", element: <CommitteeReportPage /> },
    ]);
    expect(
      await screen.findByRole("heading", { level: 1, name: "Comité de suivi du 12 mars 2026" }),
    ).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Version à imprimer (A4)" })).toHaveAttribute(
      "href",
      "/api/observatory/comites/3/rapport",
    );
    expect(screen.getByRole("link", { name: /Télécharger le rapport \(CSV/ })).toHaveAttribute(
      "href",
      "/api/observatory/comites/3/rapport.csv",
    );
    expect(screen.getByRole("link", { name: "La réunion précédente" })).toHaveAttribute(
      "href",
      "/observatoire/comites/1",
    );
    expect(screen.getByText("Prochain comité en juin.")).toBeInTheDocument();

    const summary = await screen.findByRole("table", { name: "État des 21 objectifs" });
    expect(within(summary).getByRole("row")).toHaveTextContent("En retard2");
    expect(screen.getByRole("heading", { level: 2, name: "Axe 1 — Accompagner" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Diaporama" })).toHaveAttribute(
      "href",
      "https://savoie.fr/comite.pdf",
    );
    expect(screen.getAllByRole("heading", { level: 1 })).toHaveLength(1);
    expect(screen.getByText("Évolutions depuis la réunion du 1 décembre 2025.")).toBeInTheDocument();
  });
});

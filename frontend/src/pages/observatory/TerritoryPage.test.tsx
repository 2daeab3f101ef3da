import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../test/api";
import { renderAt } from "../../test/render";
import TerritoryPage from "./TerritoryPage";

afterEach(() => vi.unstubAllGlobals());

const value = (nom: string, valeur: number | null, secret: string | null = null) => ({
  niveau: "commune",
  code: "x",
  nom,
  periode: "2023",
  valeur,
  secret,
  statut: "definitif",
  origine: "observee",
});
const entry = (
  indicateur: string,
  libelle: string,
  theme: string,
  unite: string,
  territory: object,
  department: object | null,
  france: object | null,
) => ({
  indicateur,
  libelle,
  theme,
  unite,
  decimales: 1,
  polarite: "neutre",
  periode: "2023",
  territoire: territory,
  departement: department,
  france,
});

describe("a territory's profile", () => {
  it("lists every indicator by theme next to the department and France, secrets said as such", async () => {
    mockApi({
      "GET /api/auth/me": () => json(null, 401),
      "GET /api/observatory/territoires/commune/73065/profil": () =>
        json({
          territoire: { niveau: "commune", code: "73065", nom: "Chambéry", population: 59183 },
          departement: "73",
          indicateurs: [
            entry(
              "ifn_total",
              "Indice de fragilité numérique",
              "Fragilité numérique",
              "score",
              value("Chambéry", 6.25),
              value("Savoie", 5.1),
              value("France", 5),
            ),
            entry(
              "lieux",
              "Lieux de médiation",
              "Offre de médiation",
              "nombre",
              value("Chambéry", null, "primaire"),
              value("Savoie", 30),
              null,
            ),
          ],
          sources: [
            {
              import_id: "i1",
              jeu: "ifn",
              version: 1,
              titre: "IFN 2023",
              source: "Mednum",
              millesime: "2023",
            },
          ],
        }),
    });
    renderAt("/observatoire/territoires/commune/73065", [
      { path: "/observatoire/territoires/:niveau/:code", element: <TerritoryPage /> },
    ]);
    expect(await screen.findByRole("heading", { level: 1, name: "Chambéry" })).toBeInTheDocument();
    expect(screen.getByText(/^Commune \(73065\)/)).toHaveTextContent(
      "Commune (73065), 59 183 habitants. Chaque indicateur à sa dernière période publiée, comparé à Savoie et à la France.",
    );
    const fragility = screen.getByRole("table", { name: "Fragilité numérique : Chambéry, Savoie et France" });
    expect(
      within(fragility)
        .getAllByRole("columnheader")
        .map((cell) => cell.textContent),
    ).toEqual(["Indicateur", "Période", "Chambéry", "Savoie", "France"]);
    expect(within(fragility).getAllByRole("row")[1]).toHaveTextContent(
      "Indice de fragilité numérique20236,35,15",
    );
    expect(within(fragility).getByRole("link")).toHaveAttribute(
      "href",
      "/observatoire/indicateurs/ifn_total?territoire=commune:73065",
    );
    const offer = screen.getByRole("table", { name: /Offre de médiation/ });
    expect(within(offer).getAllByRole("row")[1]).toHaveTextContent(
      "Lieux de médiation2023secret statistique30—",
    );
    expect(screen.getByText("IFN 2023 (Mednum), millésime 2023")).toBeInTheDocument();
  });

  it("says when nothing is published yet", async () => {
    mockApi({
      "GET /api/auth/me": () => json(null, 401),
      "GET /api/observatory/territoires/epci/200069110/profil": () =>
        json({
          territoire: { niveau: "epci", code: "200069110", nom: "Grand Chambéry", population: null },
          departement: "73",
          indicateurs: [],
          sources: [],
        }),
    });
    renderAt("/observatoire/territoires/epci/200069110", [
      { path: "/observatoire/territoires/:niveau/:code", element: <TerritoryPage /> },
    ]);
    expect(
      await screen.findByText("Aucun indicateur n'est encore publié pour ce territoire."),
    ).toBeInTheDocument();
  });
});

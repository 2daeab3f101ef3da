import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../test/api";
import { renderAt } from "../../test/render";
import IndicatorPage from "./IndicatorPage";

// Leaflet does not draw in jsdom: the map is checked in the browser tests.
vi.mock("../../components/ChoroplethMap", () => ({ default: () => <div>carte</div> }));

const INDICATOR = {
  code: "lieux",
  libelle: "Lieux de médiation",
  unite: "nombre",
  decimales: 0,
  niveaux: ["commune", "departement", "pays"],
  source: "Annuaire",
  producteur: "annuaire",
  description: "",
};
const value = (code: string, nom: string, periode: string, valeur: number | null, niveau = "commune") => ({
  niveau,
  code,
  nom,
  periode,
  valeur,
  statut: "definitif",
  origine: "observee",
});

afterEach(() => vi.unstubAllGlobals());

describe("an indicator over time", () => {
  it("charts the followed territory against its department and France, with the same values as a table", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(null, 401),
      "GET /api/observatory/indicateurs/lieux": () => json(INDICATOR),
      "GET /api/observatory/indicateurs/lieux/valeurs": () =>
        json({
          items: [value("73065", "Chambéry", "2023", 4)],
          total: 1,
          page: 1,
          size: 200,
          periode: "2023",
          periodes: ["2022", "2023"],
          sources: [],
          indicateur: INDICATOR,
          population_millesime: null,
        }),
      "GET /api/observatory/indicateurs/lieux/carte": () =>
        json({
          type: "FeatureCollection",
          features: [],
          classes: { bornes: [], minimum: null, effectifs: [] },
        }),
      "GET /api/observatory/indicateurs/lieux/series/departement/73": () =>
        json({
          indicateur: INDICATOR,
          territoire: value("73", "Savoie", "2023", 30, "departement"),
          points: [
            value("73", "Savoie", "2022", 25, "departement"),
            value("73", "Savoie", "2023", 30, "departement"),
          ],
          departement: [],
          france: [value("FR", "France", "2023", 9000, "pays")],
          sources: [],
        }),
      "GET /api/observatory/indicateurs/lieux/series/commune/73065": () =>
        json({
          indicateur: INDICATOR,
          territoire: value("73065", "Chambéry", "2023", 4),
          points: [value("73065", "Chambéry", "2023", 4)],
          departement: [
            value("73", "Savoie", "2022", 25, "departement"),
            value("73", "Savoie", "2023", 30, "departement"),
          ],
          france: [],
          sources: [],
        }),
    });
    renderAt("/observatoire/indicateurs/lieux", [
      { path: "/observatoire/indicateurs/:code", element: <IndicatorPage /> },
    ]);

    const evolution = await screen.findByRole("table", {
      name: /Lieux de médiation, Savoie comparée à France, par période/,
    });
    expect(
      within(evolution)
        .getAllByRole("row")
        .map((row) => row.textContent),
    ).toEqual(["PériodeSavoieFrance", "202225—", "2023309\u202f000"]);
    expect(
      await screen.findByRole("img", { name: /Graphique : Lieux de médiation, Savoie comparée à France/ }),
    ).toBeInTheDocument();

    // Each territory of the table leads to its profile, and can be followed over time instead.
    const values = screen.getByRole("table", { name: /communes de la Savoie/ });
    expect(within(values).getByRole("link", { name: "Chambéry" })).toHaveAttribute(
      "href",
      "/observatoire/territoires/commune/73065",
    );
    await userEvent.selectOptions(screen.getByLabelText(/Territoire suivi/), "commune:73065");
    const chambery = await screen.findByRole("table", { name: /Chambéry comparée à Savoie/ });
    expect(within(chambery).getAllByRole("row")[1]).toHaveTextContent("2022—25");
    expect(screen.getByRole("link", { name: "Tous les indicateurs de Chambéry" })).toHaveAttribute(
      "href",
      "/observatoire/territoires/commune/73065",
    );
    await waitFor(() =>
      expect(requests.some((request) => request.url.includes("/series/commune/73065"))).toBe(true),
    );
  });
});

describe("the map's legend", () => {
  it("names each class as the service does: a yes/no indicator's two classes, not one", async () => {
    const zones = { ...INDICATOR, code: "zones_blanches_communes", libelle: "Communes en zone blanche" };
    mockApi({
      "GET /api/auth/me": () => json(null, 401),
      "GET /api/observatory/indicateurs/zones_blanches_communes": () => json(zones),
      "GET /api/observatory/indicateurs/zones_blanches_communes/valeurs": () =>
        json({
          items: [value("73047", "Bonneval-sur-Arc", "2026-12", 1)],
          total: 1,
          page: 1,
          size: 200,
          periode: "2026-12",
          periodes: ["2026-12"],
          sources: [],
          indicateur: zones,
          population_millesime: null,
        }),
      "GET /api/observatory/indicateurs/zones_blanches_communes/carte": () =>
        json({
          type: "FeatureCollection",
          features: [],
          classes: { bornes: [0, 1], minimum: 0, effectifs: [52, 221], libelles: ["0", "1"] },
        }),
      "GET /api/observatory/indicateurs/zones_blanches_communes/series/departement/73": () =>
        json({ indicateur: zones, territoire: null, points: [], departement: [], france: [], sources: [] }),
    });
    renderAt("/observatoire/indicateurs/zones_blanches_communes", [
      { path: "/observatoire/indicateurs/:code", element: <IndicatorPage /> },
    ]);
    const legend = await screen.findByRole("heading", { name: "Légende" });
    const items = within(legend.nextElementSibling as HTMLElement)
      .getAllByRole("listitem")
      .map((item) => item.textContent);
    expect(items).toEqual([
      "0 (52 territoire(s))",
      "1 (221 territoire(s))",
      "pas de valeur, secret statistique ou données partielles",
    ]);
  });
});

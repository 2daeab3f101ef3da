import { describe, expect, it } from "vitest";

import {
  activeFilterCount,
  activeFilters,
  apiQuery,
  currentPage,
  toQueryString,
  toggleValue,
  withChange,
} from "./placeSearch";

describe("the search screen's URL", () => {
  it("becomes the API's query: known parameters only, lists kept as lists", () => {
    const params = new URLSearchParams(
      "q=aide&services=A&services=B&ouvert=true&vue=carte&pres=Chambéry&lat=45.5&lon=5.9",
    );
    expect(apiQuery(params)).toEqual({
      q: "aide",
      ouvert: "true",
      lat: "45.5",
      lon: "5.9",
      services: ["A", "B"],
    });
    expect(toQueryString({ services: ["A", "B"], q: "x y" })).toBe("services=A&services=B&q=x+y");
  });

  it("goes back to the first page when the criteria change", () => {
    const params = new URLSearchParams("q=aide&page=3");
    expect(currentPage(params)).toBe(3);
    expect(withChange(params, (next) => next.set("q", "pix")).toString()).toBe("q=pix");
    expect(toggleValue(params, "frais_a_charge", "Gratuit").getAll("frais_a_charge")).toEqual(["Gratuit"]);
    expect(currentPage(new URLSearchParams("page=-2"))).toBe(1);
  });

  it("toggles one value of a filter without touching the others", () => {
    const params = new URLSearchParams("services=A&services=B&publics_specifiquement_adresses=Seniors");
    const next = toggleValue(params, "services", "A");
    expect(next.getAll("services")).toEqual(["B"]);
    expect(activeFilterCount(next)).toBe(2);
  });

  it("lists the filters in force as tags, each removable by toggling it off", () => {
    const params = new URLSearchParams(
      "q=aide&ouvert=true&pres=Chambéry&lat=45.5&lon=5.9&rayon_km=10&frais_a_charge=Gratuit",
    );
    const active = activeFilters(params);
    expect(active.map((filter) => filter.label)).toEqual(["Ouvert maintenant", "À 10 km au plus", "Gratuit"]);
    const withoutOpen = toggleValue(params, active[0].name, active[0].value);
    expect(activeFilters(withoutOpen).map((filter) => filter.label)).toEqual(["À 10 km au plus", "Gratuit"]);
    expect(withoutOpen.get("q")).toBe("aide");
  });
});

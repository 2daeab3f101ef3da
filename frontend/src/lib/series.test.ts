import { describe, expect, it } from "vitest";

import { axisTicks, seriesRows } from "./series";

describe("seriesRows", () => {
  it("puts every period of any line in order, with a gap where a line has none", () => {
    const rows = seriesRows([
      {
        label: "Chambéry",
        points: [
          { periode: "2023", valeur: 4 },
          { periode: "2021", valeur: 2 },
        ],
      },
      {
        label: "Savoie",
        points: [
          { periode: "2022", valeur: 30 },
          { periode: "2023", valeur: 35 },
        ],
      },
    ]);
    expect(rows.map((row) => row.periode)).toEqual(["2021", "2022", "2023"]);
    expect(rows[0].values.map((value) => value?.valeur)).toEqual([2, undefined]);
    expect(rows[2].values.map((value) => value?.valeur)).toEqual([4, 35]);
  });
});

describe("axisTicks", () => {
  it("gives round graduations from zero that cover the values", () => {
    expect(axisTicks(3, 47)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(axisTicks(0.2, 0.9)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(axisTicks(-3, 4)).toEqual([-4, -2, 0, 2, 4]);
  });

  it("still draws an axis when every value is zero", () => {
    expect(axisTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});

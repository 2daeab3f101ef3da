import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import SeriesChart from "./SeriesChart";

const format = (value: number) => `${value} lieux`;

describe("the chart over time", () => {
  it("draws one line per territory with a legend, and says what it shows", () => {
    const { container } = render(
      <SeriesChart
        label="Lieux de médiation, Chambéry comparée à la Savoie et à la France"
        format={format}
        lines={[
          {
            label: "Chambéry",
            points: [
              { periode: "2021", valeur: 2 },
              { periode: "2023", valeur: 4 },
            ],
          },
          {
            label: "Savoie",
            points: [
              { periode: "2021", valeur: 30 },
              { periode: "2022", valeur: null, secret: "primaire" },
              { periode: "2023", valeur: 35 },
            ],
          },
          { label: "France", points: [] },
        ]}
      />,
    );
    expect(screen.getByRole("img", { name: /Chambéry comparée à la Savoie/ })).toBeInTheDocument();
    expect(screen.getByRole("list", { name: "Légende du graphique" })).toHaveTextContent(
      "ChambérySavoieFrance",
    );
    // Every period is on the axis; a secret value leaves a gap rather than a point at zero.
    expect([...container.querySelectorAll("text")].map((text) => text.textContent)).toEqual(
      expect.arrayContaining(["2021", "2022", "2023", "40 lieux"]),
    );
    const savoie = container.querySelector('[data-line="Savoie"] polyline');
    expect(savoie?.getAttribute("points")?.split(" ")).toHaveLength(2);
    expect(container.querySelectorAll('[data-line="Chambéry"] circle')).toHaveLength(2);
  });

  it("draws nothing without a value", () => {
    const { container } = render(
      <SeriesChart
        label="rien"
        format={format}
        lines={[{ label: "Savoie", points: [{ periode: "2021", valeur: null }] }]}
      />,
    );
    expect(container).toBeEmptyDOMElement();
  });
});

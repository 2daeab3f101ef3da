import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { ScoreRadar, wrapLabel } from "./ScoreRadar";

const SCORES = [
  { dimension: "mail", libelle: "Courriel", pourcentage: 50, niveau_libelle: "Intermédiaire" },
  { dimension: "web", libelle: "Naviguer", pourcentage: 100, niveau_libelle: "Avancé" },
  { dimension: "demarches", libelle: "Démarches", pourcentage: 0, niveau_libelle: "Débutant" },
];

describe("the toile", () => {
  it("is an image named by its title and described by a table of the same scores", () => {
    render(<ScoreRadar title="Scores par compétence" scores={SCORES} />);
    const chart = screen.getByRole("img", { name: "Scores par compétence" });
    const table = screen.getByRole("table", { name: "Scores par compétence" });
    expect(chart).toHaveAttribute("aria-describedby", table.id);
    const rows = within(table).getAllByRole("row");
    expect(rows[1]).toHaveTextContent("Courriel50 %Intermédiaire");
    expect(within(table).queryByText("Évolution")).toBeNull();
    expect(screen.queryByTestId("radar-before")).toBeNull();
  });

  it("places 100 % on the rim and 0 at the centre, first axis up", () => {
    render(<ScoreRadar title="t" scores={SCORES} />);
    const points = screen.getByTestId("radar-now").getAttribute("points")!.split(" ");
    // Centre 180,180; radius 120: 50 % up is 60 above; 100 % at 120° clockwise; 0 at the centre.
    expect(points[0]).toBe("180.0,120.0");
    expect(points[1]).toBe("283.9,240.0");
    expect(points[2]).toBe("180.0,180.0");
  });

  it("draws the previous phase and tabulates the change", () => {
    render(
      <ScoreRadar
        title="t"
        scores={SCORES}
        changes={[{ dimension: "mail", avant: 25, apres: 50, ecart: 25 }]}
      />,
    );
    expect(screen.getByTestId("radar-before")).toBeInTheDocument();
    const row = screen.getByRole("row", { name: /Courriel/ });
    expect(row).toHaveTextContent("25 %+25 points");
    expect(screen.getByRole("row", { name: /Naviguer/ })).toHaveTextContent("——");
  });
});

describe("a toile of fewer than three dimensions", () => {
  it("is the table alone: two axes make no polygon", () => {
    render(<ScoreRadar title="t" scores={SCORES.slice(0, 2)} />);
    expect(screen.queryByRole("img")).toBeNull();
    expect(screen.queryByText(/Les mêmes scores/)).toBeNull();
    expect(screen.getByRole("table", { name: "t" })).toBeInTheDocument();
  });
});

describe("the toile's axis labels", () => {
  it("are wrapped between words, never cut", () => {
    const label = "Je sais chercher une information sur internet";
    const lines = wrapLabel(label);
    expect(lines.join(" ")).toBe(label);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(20);
  });
});

import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { DataTable, sortRows } from "./DataTable";

interface Row {
  nom: string;
  population: number | null;
}

const ROWS: Row[] = Array.from({ length: 25 }, (_, index) => ({
  nom: `Commune ${index + 1}`,
  population: index === 3 ? null : (index * 37) % 100,
}));

function table() {
  return render(
    <DataTable<Row>
      caption="Communes"
      rows={ROWS}
      rowKey={(row) => row.nom}
      pageSize={10}
      columns={[
        {
          key: "nom",
          label: "Commune",
          rowHeader: true,
          sortValue: (row) => row.nom,
          render: (row) => row.nom,
        },
        {
          key: "population",
          label: "Population",
          sortValue: (row) => row.population,
          render: (row) => row.population ?? "—",
        },
      ]}
    />,
  );
}

const firstCells = () => screen.getAllByRole("rowheader").map((cell) => cell.textContent);

describe("a long table", () => {
  it("can be reached by keyboard when it scrolls, and is named by its caption", () => {
    table();
    const region = screen.getByRole("region", { name: "Communes" });
    expect(region).toHaveAttribute("tabindex", "0");
    expect(within(region).getByRole("table")).toBeInTheDocument();
  });

  it("sorts by a column in French order, numbers as numbers, both ways, and says so", async () => {
    table();
    const header = screen.getByRole("columnheader", { name: /Commune/ });
    expect(header).toHaveAttribute("aria-sort", "none");
    await userEvent.click(within(header).getByRole("button"));
    expect(header).toHaveAttribute("aria-sort", "ascending");
    expect(firstCells().slice(0, 3)).toEqual(["Commune 1", "Commune 2", "Commune 3"]);
    await userEvent.click(within(header).getByRole("button"));
    expect(header).toHaveAttribute("aria-sort", "descending");
    expect(firstCells()[0]).toBe("Commune 25");
  });

  it("pages the rows", async () => {
    table();
    expect(screen.getAllByRole("rowheader")).toHaveLength(10);
    expect(screen.getByText(/page 1 sur 3, 25 lignes/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "3" }));
    expect(firstCells()).toEqual(["Commune 21", "Commune 22", "Commune 23", "Commune 24", "Commune 25"]);
  });

  it("keeps empty values last and equal values in their order", () => {
    const rows = [{ v: 2 }, { v: null }, { v: 1 }, { v: 2, second: true }];
    expect(sortRows(rows, (row) => row.v, "descending")).toEqual([
      { v: 2 },
      { v: 2, second: true },
      { v: 1 },
      { v: null },
    ]);
    expect(sortRows(rows, (row) => row.v, "ascending").at(-1)).toEqual({ v: null });
  });

  it("takes a caption with markup and columns told apart by their label", async () => {
    render(
      <DataTable<Row>
        caption={
          <>
            Communes <abbr title="de la Savoie">73</abbr>
          </>
        }
        rows={ROWS.slice(0, 3)}
        rowKey={(row) => row.nom}
        columns={[
          { label: "Commune", rowHeader: true, sortValue: (row) => row.nom, render: (row) => row.nom },
          { label: "Population", sortValue: (row) => row.population, render: (row) => row.population ?? "—" },
        ]}
      />,
    );
    expect(screen.getByRole("region", { name: "Communes 73" })).toHaveAttribute("tabindex", "0");
    const header = screen.getByRole("columnheader", { name: /Population/ });
    await userEvent.click(within(header).getByRole("button"));
    await userEvent.click(within(header).getByRole("button"));
    expect(header).toHaveAttribute("aria-sort", "descending");
    expect(firstCells()).toEqual(["Commune 3", "Commune 2", "Commune 1"]);
    expect(screen.queryByRole("navigation")).toBeNull();
  });

  it("says so instead of showing an empty table when told what to say", () => {
    render(
      <DataTable<Row>
        caption="Communes"
        rows={[]}
        rowKey={(row) => row.nom}
        empty="Aucune commune."
        columns={[{ label: "Commune", render: (row) => row.nom }]}
      />,
    );
    expect(screen.getByText("Aucune commune.")).toBeInTheDocument();
    expect(screen.queryByRole("table")).toBeNull();
  });
});

import { Button } from "@codegouvfr/react-dsfr/Button";
import { type ReactNode, useState } from "react";

export interface Column<T> {
  label: string;
  /** What the column sorts by; a column without it cannot be sorted. */
  sortValue?: (row: T) => string | number | null | undefined;
  render: (row: T) => ReactNode;
  /** The row's header cell (th scope=row), usually its name. */
  rowHeader?: boolean;
}

interface Props<T> {
  caption: ReactNode;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  pageSize?: number;
}

type Direction = "ascending" | "descending";

const collator = new Intl.Collator("fr", { numeric: true, sensitivity: "base" });

function compare(a: string | number | null | undefined, b: string | number | null | undefined): number {
  // Missing values (secret, no data) go last whatever the direction.
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  return typeof a === "number" && typeof b === "number" ? a - b : collator.compare(String(a), String(b));
}

export function sortRows<T>(rows: T[], column: Column<T> | undefined, direction: Direction): T[] {
  if (!column?.sortValue) return rows;
  const value = column.sortValue;
  const sorted = [...rows].sort((left, right) => {
    const a = value(left);
    const b = value(right);
    if (a === null || a === undefined || b === null || b === undefined) return compare(a, b);
    return direction === "ascending" ? compare(a, b) : compare(b, a);
  });
  return sorted;
}

/**
 * A long table a person can read: sorted by a column header's button (its state in aria-sort) and shown a page
 * at a time, with the position said in words. Sorting goes back to the first page.
 */
export function SortableTable<T>({ caption, columns, rows, rowKey, pageSize = 25 }: Props<T>) {
  const [sortIndex, setSortIndex] = useState<number | null>(null);
  const [direction, setDirection] = useState<Direction>("ascending");
  const [page, setPage] = useState(1);
  const sorted = sortRows(rows, sortIndex === null ? undefined : columns[sortIndex], direction);
  const pageCount = Math.max(1, Math.ceil(sorted.length / pageSize));
  const current = Math.min(page, pageCount);
  const shown = sorted.slice((current - 1) * pageSize, current * pageSize);

  const sortBy = (index: number) => {
    setDirection(sortIndex === index && direction === "ascending" ? "descending" : "ascending");
    setSortIndex(index);
    setPage(1);
  };

  return (
    <>
      <div className="fr-table fr-table--bordered">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {columns.map((column, index) => {
                const sortedHere = sortIndex === index;
                return (
                  <th key={column.label} scope="col" aria-sort={column.sortValue ? (sortedHere ? direction : "none") : undefined}>
                    {column.sortValue ? (
                      <button type="button" className="fne-sort-button" onClick={() => sortBy(index)}>
                        {column.label}
                        <span aria-hidden="true">{sortedHere ? (direction === "ascending" ? " ▲" : " ▼") : " ⇅"}</span>
                        <span className="fr-sr-only">
                          {sortedHere
                            ? direction === "ascending"
                              ? " (trié par ordre croissant ; activer pour l'ordre décroissant)"
                              : " (trié par ordre décroissant ; activer pour l'ordre croissant)"
                            : " (activer pour trier)"}
                        </span>
                      </button>
                    ) : (
                      column.label
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) =>
                  column.rowHeader ? (
                    <th key={column.label} scope="row">
                      {column.render(row)}
                    </th>
                  ) : (
                    <td key={column.label}>{column.render(row)}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pageCount > 1 && (
        <nav className="fne-table-pages" aria-label="Pages du tableau">
          <Button priority="secondary" size="small" iconId="fr-icon-arrow-left-s-line" disabled={current === 1} onClick={() => setPage(current - 1)}>
            Page précédente
          </Button>
          <p className="fr-mb-0" aria-live="polite">
            Lignes {(current - 1) * pageSize + 1} à {Math.min(current * pageSize, sorted.length)} sur {sorted.length} (page {current} sur{" "}
            {pageCount})
          </p>
          <Button
            priority="secondary"
            size="small"
            iconId="fr-icon-arrow-right-s-line"
            iconPosition="right"
            disabled={current === pageCount}
            onClick={() => setPage(current + 1)}
          >
            Page suivante
          </Button>
        </nav>
      )}
    </>
  );
}

import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { type ReactNode, useId, useMemo, useState } from "react";

export interface Column<T> {
  /** Tells the columns apart; their label by default. */
  key?: string;
  label: string;
  /** The cell's content. */
  render: (row: T) => ReactNode;
  /** The value rows are sorted by; the column cannot be sorted without it. */
  sortValue?: (row: T) => string | number | null | undefined;
  /** The row's header cell (th scope=row): the column that names the row. */
  rowHeader?: boolean;
}

interface Props<T> {
  caption: ReactNode;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  pageSize?: number;
  /** Sorted by this column at first. */
  initialSort?: { key: string; direction: "ascending" | "descending" };
  /** Said instead of an empty table (a table of headers only reads as a mistake). */
  empty?: ReactNode;
}

const collator = new Intl.Collator("fr", { numeric: true, sensitivity: "base" });

function compare(
  left: string | number | null | undefined,
  right: string | number | null | undefined,
): number {
  if (left == null || left === "") return right == null || right === "" ? 0 : 1;
  if (right == null || right === "") return -1;
  if (typeof left === "number" && typeof right === "number") return left - right;
  return collator.compare(String(left), String(right));
}

/** Rows in the column's order, stable for equal values; empty values last in both directions. */
export function sortRows<T>(
  rows: T[],
  value: (row: T) => string | number | null | undefined,
  direction: "ascending" | "descending",
): T[] {
  const sign = direction === "ascending" ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, value: value(row) }))
    .sort((a, b) => {
      const emptyA = a.value == null || a.value === "";
      const emptyB = b.value == null || b.value === "";
      if (emptyA !== emptyB) return emptyA ? 1 : -1;
      return sign * compare(a.value, b.value) || a.index - b.index;
    })
    .map((item) => item.row);
}

const keyOf = <T,>(column: Column<T>) => column.key ?? column.label;

/**
 * A long table as the RGAA wants it, on public and administration screens alike: a caption, sortable columns
 * (buttons in the headers, aria-sort), pages, and a scrolling frame a keyboard can reach (tabindex,
 * role=region, named by the caption).
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  pageSize = 20,
  initialSort,
  empty,
}: Props<T>) {
  const [sort, setSort] = useState(initialSort);
  const [page, setPage] = useState(1);
  const captionId = useId();
  const sorted = useMemo(() => {
    const column = columns.find((item) => keyOf(item) === sort?.key);
    return column?.sortValue && sort ? sortRows(rows, column.sortValue, sort.direction) : rows;
  }, [rows, columns, sort]);
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const current = Math.min(page, pages);
  const shown = sorted.slice((current - 1) * pageSize, current * pageSize);

  const toggle = (key: string) => {
    setSort((previous) => ({
      key,
      direction: previous?.key === key && previous.direction === "ascending" ? "descending" : "ascending",
    }));
    setPage(1);
  };

  if (rows.length === 0 && empty !== undefined) return <p>{empty}</p>;
  return (
    <>
      <div
        className="fr-table fr-table--bordered fne-scroll-table"
        tabIndex={0}
        role="region"
        aria-labelledby={captionId}
      >
        <table>
          <caption>
            <span id={captionId}>{caption}</span>
            {pages > 1 && (
              <span className="fr-text--sm fr-text--regular">
                {" "}
                (page {current} sur {pages}, {rows.length} lignes)
              </span>
            )}
          </caption>
          <thead>
            <tr>
              {columns.map((column) => {
                const sorted = sort?.key === keyOf(column) ? sort.direction : undefined;
                return (
                  <th
                    key={keyOf(column)}
                    scope="col"
                    aria-sort={column.sortValue ? (sorted ?? "none") : undefined}
                  >
                    {column.sortValue ? (
                      <button type="button" className="fne-sort-button" onClick={() => toggle(keyOf(column))}>
                        {column.label}
                        <span aria-hidden="true">
                          {sorted === "ascending" ? " ▲" : sorted === "descending" ? " ▼" : " ⇅"}
                        </span>
                        <span className="fr-sr-only">
                          {sorted === "ascending"
                            ? ", trié par ordre croissant"
                            : sorted === "descending"
                              ? ", trié par ordre décroissant"
                              : ", trier"}
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
                    <th key={keyOf(column)} scope="row">
                      {column.render(row)}
                    </th>
                  ) : (
                    <td key={keyOf(column)}>{column.render(row)}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <Pagination
          count={pages}
          defaultPage={current}
          showFirstLast
          // « # » with a click handler: the DSFR draws each page as a button (an action, not an address).
          getPageLinkProps={(number) => ({
            to: "#",
            ...({ href: "#" } as object),
            onClick: (event: React.MouseEvent) => {
              event.preventDefault();
              setPage(number);
            },
          })}
        />
      )}
    </>
  );
}

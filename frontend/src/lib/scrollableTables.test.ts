import { describe, expect, it } from "vitest";

import { markScrollableTables } from "./scrollableTables";

function frame(scrollWidth: number, clientWidth: number): HTMLTableElement {
  document.body.innerHTML = `<div class="fr-table"><table><caption>Communes</caption><tr><td>x</td></tr></table></div>`;
  const table = document.querySelector("table")!;
  Object.defineProperty(table, "scrollWidth", { value: scrollWidth, configurable: true });
  Object.defineProperty(table, "clientWidth", { value: clientWidth, configurable: true });
  return table;
}

describe("scrollable tables", () => {
  it("take a tab stop only while they scroll, named by their caption", () => {
    const table = frame(900, 340);
    markScrollableTables(document);
    expect(table.getAttribute("tabindex")).toBe("0");
    expect(table.hasAttribute("aria-label")).toBe(false);
    Object.defineProperty(table, "scrollWidth", { value: 340 });
    markScrollableTables(document);
    expect(table.hasAttribute("tabindex")).toBe(false);
  });

  it("leave alone a tab index set by the screen itself", () => {
    const table = frame(340, 340);
    table.setAttribute("tabindex", "-1");
    markScrollableTables(document);
    expect(table.getAttribute("tabindex")).toBe("-1");
  });
});

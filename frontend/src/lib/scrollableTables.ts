import { type RefObject, useEffect } from "react";

const MARK = "data-fne-scroll-focus";

/**
 * Makes every wide table that scrolls sideways inside its DSFR frame (`.fr-table > table`, which scrolls itself)
 * reachable with the keyboard, so that its hidden columns can be scrolled into view with the arrow keys (RGAA
 * 7.3, axe "scrollable-region-focusable"); its caption names it. Tables that fit take no tab stop. Applies to
 * every screen, present and future, and again when the window changes width (a phone turned).
 */
export function markScrollableTables(root: ParentNode): void {
  for (const table of root.querySelectorAll<HTMLTableElement>(".fr-table > table, .fne-scroll-table")) {
    const scrolls = table.scrollWidth > table.clientWidth + 1;
    if (scrolls && !table.hasAttribute("tabindex")) {
      table.setAttribute("tabindex", "0");
      table.setAttribute(MARK, "");
      if (!table.caption?.textContent?.trim() && !table.hasAttribute("aria-label"))
        table.setAttribute("aria-label", "Tableau");
    } else if (!scrolls && table.hasAttribute(MARK)) {
      table.removeAttribute("tabindex");
      table.removeAttribute(MARK);
    }
  }
}

export function useScrollableTablesFocusable(root: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = root.current;
    if (!element) return;
    let frame = 0;
    const schedule = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => markScrollableTables(element));
    };
    schedule();
    const observer = new MutationObserver(schedule);
    observer.observe(element, { childList: true, subtree: true });
    window.addEventListener("resize", schedule);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      window.removeEventListener("resize", schedule);
    };
  }, [root]);
}

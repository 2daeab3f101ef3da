import { describe, expect, it } from "vitest";

import { reportContent } from "./reportHtml";

const REPORT = `<!DOCTYPE html><html lang="fr"><head><title>Comité</title><style>h1 { color: red }</style></head><body>
<header><h1>Feuille de route</h1><p class="meta"><strong>Comité de suivi</strong> du 12 mars 2026</p></header>
<section aria-labelledby="axe-1"><h2 id="axe-1">Axe 1</h2>
<article class="objective"><h3>Objectif 1 <span class="statut s-en_retard">En retard</span></h3>
<table><thead><tr><th scope="col">Indicateur</th></tr></thead><tbody><tr><td class="num" onclick="alert(1)">12</td></tr></tbody></table>
<p><a href="https://example.org/cr.pdf">Compte rendu</a> <a href="javascript:alert(1)">piège</a></p>
<script>alert(1)</script></article></section></body></html>`;

describe("reportContent", () => {
  const container = document.createElement("div");
  container.innerHTML = reportContent(REPORT);

  it("keeps the report's sections, headings and tables, without its title and styles", () => {
    expect(container.querySelector("h1")).toBeNull();
    expect(container.querySelector("style, script")).toBeNull();
    expect(container.querySelector("h2#axe-1")?.textContent).toBe("Axe 1");
    expect(container.querySelector("section")?.getAttribute("aria-labelledby")).toBe("axe-1");
    expect(container.querySelector("p")?.textContent).toBe("Comité de suivi du 12 mars 2026");
    expect(container.querySelector("div.fr-table > table th")?.getAttribute("scope")).toBe("col");
  });

  it("gives statuses the DSFR badge and drops handlers and unsafe links", () => {
    expect(container.querySelector("span")?.className).toBe(
      "fr-badge fr-badge--sm fr-badge--no-icon fr-ml-1w fr-badge--warning",
    );
    expect(container.querySelector("td")?.hasAttribute("onclick")).toBe(false);
    const links = container.querySelectorAll("a");
    expect(links[0].getAttribute("href")).toBe("https://example.org/cr.pdf");
    expect(links[1].hasAttribute("href")).toBe(false);
    expect(container.innerHTML).not.toContain("alert(1)");
  });
});

/**
 * The committee report the observatory renders (a print-ready HTML document) as content of a page of the app:
 * its body without the document's own title and styles, in DSFR classes. The service escapes what it writes;
 * this keeps an allow-list of elements and attributes anyway, since the result is inserted as HTML.
 */

const DROPPED = new Set([
  "SCRIPT",
  "STYLE",
  "IFRAME",
  "OBJECT",
  "EMBED",
  "FORM",
  "LINK",
  "META",
  "TITLE",
  "SVG",
  "TEMPLATE",
  "NOSCRIPT",
]);
const KEPT = new Set([
  "SECTION",
  "ARTICLE",
  "HEADER",
  "DIV",
  "H2",
  "H3",
  "H4",
  "P",
  "UL",
  "OL",
  "LI",
  "TABLE",
  "CAPTION",
  "THEAD",
  "TBODY",
  "TR",
  "TH",
  "TD",
  "A",
  "STRONG",
  "EM",
  "SMALL",
  "BR",
  "SPAN",
]);
const ATTRIBUTES = new Set(["id", "scope", "colspan", "rowspan", "aria-labelledby", "href"]);
/** The report's classes and their DSFR counterparts; other classes only mattered to its print style. */
const CLASSES: Record<string, string> = {
  statut: "fr-badge fr-badge--sm fr-badge--no-icon fr-ml-1w",
  "s-en_cours": "fr-badge--info",
  "s-en_retard": "fr-badge--warning",
  "s-atteint": "fr-badge--success",
  "s-abandonne": "fr-badge--error",
  "s-non_demarre": "fr-badge--new",
  changes: "fr-callout fr-py-2w fr-mb-2w",
  retard: "fr-text--bold fne-late",
  meta: "fr-text--sm",
  note: "fr-text--sm",
};

function safeHref(href: string): boolean {
  return /^(https?:|mailto:|\/(?!\/)|#)/i.test(href.trim());
}

function clean(element: Element): void {
  for (const child of [...element.children]) {
    if (DROPPED.has(child.tagName.toUpperCase())) {
      child.remove();
      continue;
    }
    clean(child);
    if (!KEPT.has(child.tagName.toUpperCase())) {
      child.replaceWith(...child.childNodes);
      continue;
    }
    const classes = [...child.classList].map((name) => CLASSES[name]).filter(Boolean);
    for (const attribute of [...child.attributes]) {
      if (!ATTRIBUTES.has(attribute.name) || (attribute.name === "href" && !safeHref(attribute.value)))
        child.removeAttribute(attribute.name);
    }
    if (classes.length) child.setAttribute("class", classes.join(" "));
    if (child.tagName === "TABLE") {
      const wrapper = child.ownerDocument.createElement("div");
      wrapper.className = "fr-table fr-table--bordered";
      child.replaceWith(wrapper);
      wrapper.append(child);
    }
  }
}

/** The report's content as HTML to insert under the page's own title (the report's h1 is left out). */
export function reportContent(html: string): string {
  const document = new DOMParser().parseFromString(html, "text/html");
  document.body.querySelector("h1")?.remove();
  clean(document.body);
  return document.body.innerHTML;
}

/**
 * Writes the search screen's first state into the built index.html (src/prerender.tsx), so that a phone paints
 * it before the entry script has run (issue #14); the app renders over it (src/main.tsx). Other addresses of the app get `app.html`, the same page
 * without it and without the home page's preloaded search (gateway/fne_gateway/spa.py serves it): a place's
 * page must not show the search form first.
 *
 *   node scripts/prerender.mjs dist      (run by the build, before the compressed copies are written)
 *
 * The app's modules expect a browser: they are evaluated in a jsdom window, as in the unit tests, with a
 * phone's width (the wide layout's map is never prerendered).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { JSDOM } from "jsdom";
import { createServer } from "vite";

const ROOT_ELEMENT = '<div id="root"></div>';
const HOME_SEARCH =
  /\s*<!-- The home page's first search[\s\S]*?<link\s+rel="preload"[^>]*as="fetch"[^>]*\/>/;

/** The page of the app's other addresses: index.html without the home page's search preload. */
export function withoutHomeSearch(html) {
  return html.replace(HOME_SEARCH, "");
}

/** index.html with the prerendered markup in its root element. */
export function withHome(html, markup) {
  if (!html.includes(ROOT_ELEMENT)) throw new Error(`index.html has no ${ROOT_ELEMENT}`);
  // Inert until the app has replaced it: its buttons would do nothing yet, and a search field typed into would
  // be lost. It is painted all the same; assistive technologies meet the page once it works.
  return html.replace(
    ROOT_ELEMENT,
    `<div id="root" data-fne-prerendered=""><div inert="">${markup}</div></div>`,
  );
}

function browserGlobals() {
  const dom = new JSDOM("<!doctype html><html><body></body></html>", { url: "http://localhost/" });
  const { window } = dom;
  window.matchMedia = (query) => ({
    matches: false,
    media: query,
    addEventListener() {},
    removeEventListener() {},
  });
  for (const name of ["window", "document", "navigator", "location", "HTMLElement", "matchMedia"]) {
    Object.defineProperty(globalThis, name, { value: window[name], configurable: true, writable: true });
  }
}

async function renderHome(root) {
  browserGlobals();
  const server = await createServer({
    root,
    configFile: join(root, "vite.config.ts"),
    server: { middlewareMode: true, hmr: false, watch: null },
    appType: "custom",
    logLevel: "error",
    // react-dsfr's ES modules import directories, which Node cannot: Vite resolves them.
    ssr: { noExternal: ["@codegouvfr/react-dsfr"] },
  });
  try {
    const module = await server.ssrLoadModule("/src/prerender.tsx");
    return module.renderHome();
  } finally {
    await server.close();
  }
}

export async function prerender(outDir, root = process.cwd()) {
  const indexPath = join(outDir, "index.html");
  const html = readFileSync(indexPath, "utf8");
  const markup = await renderHome(root);
  writeFileSync(join(outDir, "app.html"), withoutHomeSearch(html));
  writeFileSync(indexPath, withHome(html, markup));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await prerender(process.argv[2] ?? "dist");
}

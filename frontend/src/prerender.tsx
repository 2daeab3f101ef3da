/**
 * The search screen as it looks before its first results, rendered to HTML at build time
 * (scripts/prerender.mjs) and written into index.html: a phone paints the header, the form and the results'
 * heading as soon as the stylesheets are in, instead of waiting for the entry script to be downloaded and
 * run (issue #14, docs/benchmarks.md). The app then renders over it (main.tsx). Not part of the app's bundle.
 */
import { setLink } from "@codegouvfr/react-dsfr/link";
import { renderToString } from "react-dom/server";
import { Link, Route, Routes, StaticRouter } from "react-router";

import { AuthProvider } from "./auth/AuthContext";
import { Layout } from "./components/Layout";
import SearchPage from "./pages/SearchPage";

// What startReactDsfr registers in the browser: the DSFR components' links are the router's.
setLink({ Link: Link as never });

/** The home page as an anonymous visitor on a phone first sees it, the search still running. */
export function renderHome(): string {
  return renderToString(
    <StaticRouter location="/">
      <AuthProvider>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<SearchPage />} />
          </Route>
        </Routes>
      </AuthProvider>
    </StaticRouter>,
  );
}

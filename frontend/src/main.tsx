import { startReactDsfr } from "@codegouvfr/react-dsfr/spa";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Link, RouterProvider } from "react-router";

import { AuthProvider } from "./auth/AuthContext";
import { startFirstSearch } from "./lib/firstSearch";
import { router } from "./routes";
import "./app.css";

const FIRST_SEARCH_BUDGET_MS = 1000;

startReactDsfr({ defaultColorScheme: "system", Link });

declare module "@codegouvfr/react-dsfr/spa" {
  interface RegisterLink {
    Link: typeof Link;
  }
}

// index.html already shows the search screen's first state, inert (scripts/prerender.mjs): the app replaces
// it, with the first results when they arrive within a second (lib/firstSearch) — one render instead of two
// on a slow phone, while the prerendered page stays on screen. (No top-level await: it would split the entry.)
const container = document.getElementById("root")!;

function render() {
  createRoot(container).render(
    <StrictMode>
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>
    </StrictMode>,
  );
}

if (container.hasAttribute("data-fne-prerendered") && window.location.pathname === "/") {
  void startFirstSearch(new URLSearchParams(window.location.search), FIRST_SEARCH_BUDGET_MS).then(render);
} else {
  render();
}

import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { createMemoryRouter, RouterProvider } from "react-router";

import { AuthProvider } from "../auth/AuthContext";

/** Renders a screen at a URL, with the router and the auth context as in the app. */
export function renderAt(path: string, routes: { path: string; element: ReactElement }[]) {
  const router = createMemoryRouter([...routes, { path: "*", element: <p>ailleurs</p> }], {
    initialEntries: [path],
  });
  return {
    router,
    ...render(
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>,
    ),
  };
}

export const ADMIN = {
  kind: "user",
  subject: "u1",
  name: "Camille Martin",
  role: "admin",
  scopes: ["directory:write", "keys:manage", "users:manage"],
};

/** A signed-in session as the browser holds it: the readable CSRF cookie set at login. */
export function signIn() {
  document.cookie = "fne_csrf=jeton";
}

export function signOut() {
  document.cookie = "fne_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT";
}

import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { ProblemAlert } from "./ProblemAlert";

describe("ProblemAlert", () => {
  it("shows the title, the detail and each field's reason under the form's own label", () => {
    render(
      <ProblemAlert
        problem={{
          title: "Données invalides",
          status: 422,
          detail: "2 champ(s) invalide(s)",
          errors: [
            { field: "code_postal", reason: "5 chiffres attendus" },
            {
              field: "services.0",
              reason: "valeur inconnue",
              allowed: "'Aide aux démarches administratives'",
            },
          ],
        }}
        fieldLabels={{ code_postal: "Code postal" }}
      />,
    );
    expect(screen.getByRole("alert")).toHaveTextContent("Données invalides");
    expect(screen.getByText("2 champ(s) invalide(s)")).toBeInTheDocument();
    const items = screen.getAllByRole("listitem").map((item) => item.textContent);
    expect(items).toEqual([
      "Code postal : 5 chiffres attendus",
      "services : valeur inconnue (valeurs permises : Aide aux démarches administratives)",
    ]);
  });

  it("takes the focus when asked, so that the error is read out after a submit", () => {
    render(<ProblemAlert problem={{ title: "Accès refusé", status: 403 }} focus />);
    expect(document.activeElement).toContainElement(screen.getByRole("alert"));
  });

  it("names the function that is down, hides the internals and offers to retry", async () => {
    let retried = 0;
    render(
      <ProblemAlert
        problem={{
          title: "Service indisponible",
          status: 503,
          code: "upstream-unavailable",
          detail: "Le service directory est injoignable.",
        }}
        unavailable="La recherche de lieux"
        onRetry={() => (retried += 1)}
      />,
    );
    expect(screen.getByRole("alert")).toHaveTextContent(
      "La recherche de lieux est momentanément indisponible",
    );
    expect(screen.getByRole("alert")).not.toHaveTextContent("directory");
    screen.getByRole("button", { name: "Réessayer" }).click();
    expect(retried).toBe(1);
  });

  it("tells an offline person to check their connection", () => {
    render(
      <ProblemAlert
        problem={{ title: "Pas de connexion", code: "unreachable", status: 0 }}
        unavailable="L'observatoire"
      />,
    );
    expect(screen.getByRole("alert")).toHaveTextContent("Vérifiez votre connexion");
  });

  it("shows nothing without a problem", () => {
    const { container } = render(<ProblemAlert problem={undefined} />);
    expect(container).toBeEmptyDOMElement();
  });
});

import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../../test/api";
import { renderAt, signIn, signOut } from "../../../test/render";
import ObjectiveAdminPage from "./ObjectiveAdminPage";

const COORDINATOR = {
  kind: "user",
  subject: "u3",
  name: "Coordination Savoie",
  role: "coordinator",
  scopes: ["observatory:write", "surveys:write", "surveys:read"],
};
const INDICATOR = {
  id: "1.1",
  objectif: 1,
  libelle: "Nombre de structures membres du comité",
  nature: "quantitatif",
  unite: "structures",
  valeur_initiale: 4,
  cible: 20,
  cible_texte: null,
  echeance: "2027-12-31",
  indicateur_catalogue: null,
  derniere_valeur: null,
  valeur_precedente: null,
  tendance: "sans_donnee",
  avancement: null,
};
const OBJECTIVE = {
  numero: 1,
  axe: 1,
  titre: "Créer un observatoire",
  objectifs_strategiques: [],
  actions: [],
  acteurs: "Département",
  statut: "non_demarre",
  commentaire_statut: null,
  statut_modifie_le: null,
  indicateurs: [INDICATOR],
  jalons: [
    {
      id: "1.a",
      objectif: 1,
      libelle: "Comité installé",
      echeance_texte: "2025",
      echeance: "2025-12-31",
      statut: "a_venir",
      atteint_le: null,
      commentaire: null,
      en_retard: true,
    },
  ],
  historique_statut: [
    {
      statut_precedent: "non_demarre",
      statut: "en_cours",
      commentaire: "Lancé",
      le: "2026-11-01T10:00:00Z",
      par: "Coordination Savoie (user:6f1c2a4e-1234-4bcd-9eef-0123456789ab)",
    },
  ],
  indicateurs_observatoire: [],
};
const routes = [
  { path: "/administration/feuille-de-route/objectifs/:numero", element: <ObjectiveAdminPage /> },
];

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("an objective of the roadmap, kept by the committee", () => {
  it("records a value with its comment and evidence, and names the person without their internal code", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/observatory/feuille-de-route/objectifs/1": () => json(OBJECTIVE),
      "GET /api/observatory/feuille-de-route/indicateurs/1.1/valeurs": () => json([]),
      "POST /api/observatory/feuille-de-route/indicateurs/1.1/valeurs": () => json({ id: 1 }, 201),
    });
    renderAt("/administration/feuille-de-route/objectifs/1", routes);
    await screen.findByRole("heading", { level: 1, name: "Objectif 1 : Créer un observatoire" });
    const history = screen.getByRole("table", { name: "Historique du statut" });
    expect(history).toHaveTextContent("Coordination Savoie");
    expect(history).not.toHaveTextContent("user:");

    const form = screen.getByRole("form", { name: /Nouvelle valeur : Nombre de structures/ });
    await userEvent.type(within(form).getByLabelText(/Valeur \(structures\)/), "12,5");
    await userEvent.type(within(form).getByLabelText("Commentaire"), "Recensement");
    await userEvent.click(within(form).getByRole("button", { name: "Ajouter un justificatif" }));
    await userEvent.type(within(form).getByLabelText("Titre du justificatif 1"), "Compte rendu");
    await userEvent.type(
      within(form).getByLabelText("Adresse du justificatif 1"),
      "https://savoie.fr/cr.pdf",
    );
    await userEvent.click(within(form).getByRole("button", { name: "Enregistrer la valeur" }));
    expect(await within(form).findByText("Valeur enregistrée.")).toBeInTheDocument();
    const body = await requests.find((request) => request.method === "POST")!.json();
    expect(body).toMatchObject({
      valeur: 12.5,
      texte: null,
      commentaire: "Recensement",
      preuves: [{ titre: "Compte rendu", url: "https://savoie.fr/cr.pdf" }],
    });
  });

  it("says when a computed value was last found unchanged, beside when it was computed", async () => {
    const computed = {
      ...INDICATOR,
      indicateur_catalogue: "gouvernance_comites_partenaires",
      derniere_valeur: {
        id: null,
        date: "2026-01-01",
        valeur: 1,
        texte: null,
        commentaire: null,
        preuves: [],
        origine: "observatoire",
        source: "Observatoire FNE Savoie : comités et jeux de données publiés",
        calcule_le: "2026-12-01T05:00:00Z",
        verifie_le: "2026-12-03T05:00:00Z",
      },
      tendance: "stable",
    };
    mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/observatory/feuille-de-route/objectifs/1": () =>
        json({ ...OBJECTIVE, indicateurs: [computed] }),
      "GET /api/observatory/feuille-de-route/indicateurs/1.1/valeurs": () => json([]),
    });
    renderAt("/administration/feuille-de-route/objectifs/1", routes);
    expect(
      await screen.findByText(
        /Calculée automatiquement le 01\/12\/2026 06:00, inchangée à la vérification du 03\/12\/2026 06:00/,
      ),
    ).toBeInTheDocument();
  });

  it("shows the API's field errors by the form's own labels, in French", async () => {
    mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/observatory/feuille-de-route/objectifs/1": () => json(OBJECTIVE),
      "GET /api/observatory/feuille-de-route/indicateurs/1.1/valeurs": () => json([]),
      "PUT /api/observatory/feuille-de-route/jalons/1.a": () =>
        json(
          {
            title: "Données invalides",
            status: 422,
            errors: [
              {
                field: "atteint_le",
                reason: "Input should be a valid date",
                type: "date_from_datetime_parsing",
              },
            ],
          },
          422,
        ),
    });
    renderAt("/administration/feuille-de-route/objectifs/1", routes);
    const form = await screen.findByRole("form", { name: "Jalon : Comité installé" });
    await userEvent.selectOptions(within(form).getByLabelText(/État du jalon/), "atteint");
    await userEvent.click(within(form).getByRole("button", { name: "Enregistrer le jalon 1.a" }));
    const alert = await within(form).findByRole("alert");
    expect(alert).toHaveTextContent("Atteint le : date non valide");
    expect(alert).not.toHaveTextContent(/Input should/);
  });

  it("is refused to an account without the observatory's rights", async () => {
    mockApi({
      "GET /api/auth/me": () => json({ ...COORDINATOR, role: "mediator", scopes: ["surveys:write"] }),
    });
    renderAt("/administration/feuille-de-route/objectifs/1", routes);
    expect(await screen.findByText("Accès réservé")).toBeInTheDocument();
  });
});

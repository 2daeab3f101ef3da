import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../../test/api";
import { renderAt, signIn, signOut } from "../../../test/render";
import ImportPage from "./ImportPage";
import ImportsPage from "./ImportsPage";

const COORDINATOR = {
  kind: "user",
  subject: "u2",
  name: "Alex",
  role: "coordinator",
  scopes: ["observatory:write"],
};
const CATALOGUE = {
  items: [
    {
      code: "ifn_total",
      libelle: "Indice de fragilité numérique",
      producteur: "import",
      agregation: "moyenne_ponderee",
    },
    {
      code: "part_75_ans_et_plus",
      libelle: "Part des 75 ans et plus",
      producteur: "import",
      agregation: "ratio",
    },
    { code: "lieux", libelle: "Lieux de médiation", producteur: "annuaire", agregation: "somme" },
  ],
  total: 3,
  page: 1,
  size: 200,
};
const REPORT = (valid: boolean) => ({
  valide: valid,
  fichier: { nom: "ifn.csv", colonnes: ["code", "score"] },
  resume: {
    lignes: 2,
    observations: valid ? 2 : 1,
    periodes: ["2023"],
    departements_couverts: ["73"],
    communes_manquantes: 271,
    erreurs: valid ? {} : { "non-numerique": 1 },
    avertissements: { "commune-manquante": 271 },
    indicateurs: { ifn_total: { valeurs: 1, minimum: 6.25, maximum: 6.25 } },
  },
  erreurs: valid
    ? []
    : [
        {
          type: "non-numerique",
          ligne: 3,
          colonne: "score",
          valeur: "douze",
          message: "valeur de ifn_total : nombre attendu",
        },
      ],
  avertissements: [
    { type: "commune-manquante", valeur: "73001", message: "commune 73001 absente du fichier" },
  ],
});
const IMPORT = {
  id: "imp1",
  jeu: "ifn-savoie",
  version: 2,
  type: "fichier",
  titre: "IFN 2023",
  source: "Mednum",
  millesime: "2023",
  statut_valeurs: "definitif",
  statut: "valide",
  fichier: "ifn.csv",
  empreinte_sha256: "ab",
  parametres: { niveau: "commune" },
  rapport: REPORT(true),
  observations: 2,
  cree_le: "2026-11-28T10:00:00Z",
  cree_par: "Alex (user:u2)",
  publie_le: null,
  publie_par: null,
  retire_le: null,
  retire_par: null,
  note: null,
};

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

async function fillForm(user: ReturnType<typeof userEvent.setup>) {
  const file = new File(["code;score\n73065;6,25\n73011;douze\n"], "ifn.csv", { type: "text/csv" });
  await user.upload(screen.getByLabelText(/^Fichier/), file);
  await screen.findByText("Colonnes du fichier : code, score.");
  await user.type(screen.getByLabelText(/^Identifiant du jeu/), "ifn-savoie");
  await user.type(screen.getByLabelText(/^Titre/), "IFN 2023");
  await user.type(screen.getByLabelText(/^Source/), "Mednum");
  await user.type(screen.getByLabelText(/^Millésime/), "2023");
  await user.type(screen.getByLabelText(/^Colonne du code du territoire/), "code");
  await user.type(screen.getByLabelText(/^Période/), "2023");
  await user.selectOptions(screen.getByLabelText("Indicateur 1"), "ifn_total");
  await user.type(screen.getByLabelText(/^Colonne de la valeur de l'indicateur 1/), "score");
}

describe("importing an observatory dataset", () => {
  it("checks the file, shows each error by row and column, then imports and opens the new version", async () => {
    const user = userEvent.setup();
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/observatory/indicateurs": () => json(CATALOGUE),
      "GET /api/observatory/imports": () => json({ items: [], total: 0, page: 1, size: 50 }),
      "POST /api/observatory/imports/validation": () => json(REPORT(false)),
      "POST /api/observatory/imports": [
        () =>
          json(
            {
              title: "Fichier refusé : voir le rapport de validation",
              status: 422,
              code: "import-invalid",
              rapport: REPORT(false),
            },
            422,
          ),
        () => json(IMPORT, 201),
      ],
    });
    const { router } = renderAt("/administration/observatoire", [
      { path: "/administration/observatoire", element: <ImportsPage /> },
    ]);
    expect(await screen.findByText("Aucun jeu de données importé pour l'instant.")).toBeInTheDocument();
    // Only indicators that come from files are offered.
    await screen.findByRole("option", { name: /Indice de fragilité numérique/ });
    expect(screen.queryByRole("option", { name: /Lieux de médiation/ })).toBeNull();
    await fillForm(user);

    await user.click(screen.getByRole("button", { name: "Vérifier le fichier" }));
    const errors = await screen.findByRole("table", { name: "Erreurs, par ligne et colonne du fichier" });
    expect(within(errors).getAllByRole("row")[1]).toHaveTextContent(
      "3scoredouzevaleur de ifn_total : nombre attendu",
    );
    expect(screen.getByText(/Fichier refusé : 1 erreur\(s\) sur 2 ligne\(s\)/)).toBeInTheDocument();
    const sent = requests.find((request) => request.url.endsWith("/imports/validation"))!;
    const body = await sent.formData();
    expect(JSON.parse(String(body.get("parametres")))).toMatchObject({
      jeu: "ifn-savoie",
      colonne_code: "code",
      periode: "2023",
      indicateurs: { ifn_total: "score" },
    });
    expect((body.get("fichier") as Blob).size).toBeGreaterThan(0);

    // An import refused by the service shows the report its problem carries.
    await user.click(screen.getByRole("button", { name: "Importer" }));
    expect(await screen.findByText("Fichier refusé : voir le rapport de validation")).toBeInTheDocument();
    expect(
      screen.getByRole("table", { name: "Erreurs, par ligne et colonne du fichier" }),
    ).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Importer" }));
    await waitFor(() =>
      expect(router.state.location.pathname).toBe("/administration/observatoire/imports/imp1"),
    );
  });

  it("names the parameter the service refuses next to its field", async () => {
    const user = userEvent.setup();
    mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/observatory/indicateurs": () => json(CATALOGUE),
      "GET /api/observatory/imports": () => json({ items: [], total: 0, page: 1, size: 50 }),
      "POST /api/observatory/imports/validation": () =>
        json(
          {
            title: "Données invalides",
            status: 422,
            errors: [{ field: "parametres.colonne_code", reason: "colonne 'code' absente du fichier" }],
          },
          422,
        ),
    });
    renderAt("/administration/observatoire", [
      { path: "/administration/observatoire", element: <ImportsPage /> },
    ]);
    await screen.findByRole("option", { name: /Indice de fragilité numérique/ });
    await fillForm(user);
    await user.click(screen.getByRole("button", { name: "Vérifier le fichier" }));
    const field = (await screen.findAllByText("colonne 'code' absente du fichier")).find((element) =>
      element.closest(".fr-input-group"),
    );
    expect(field).toBeDefined();
  });

  it("publishes a version, then shows the values it gave", async () => {
    const user = userEvent.setup();
    const published = {
      ...IMPORT,
      statut: "publie",
      publie_le: "2026-11-28T11:00:00Z",
      publie_par: "Alex (user:u2)",
    };
    mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/observatory/imports/imp1": [() => json(IMPORT), () => json(published)],
      "POST /api/observatory/imports/imp1/publication": () => json(published),
      "GET /api/observatory/indicateurs/ifn_total/valeurs": () =>
        json({
          items: [
            {
              niveau: "commune",
              code: "73065",
              nom: "Chambéry",
              periode: "2023",
              valeur: 6.25,
              statut: "definitif",
              origine: "observee",
              import_id: "imp1",
            },
            {
              niveau: "commune",
              code: "73011",
              nom: "Albertville",
              periode: "2023",
              valeur: 5,
              statut: "definitif",
              origine: "observee",
              import_id: "older",
            },
          ],
          total: 2,
          page: 1,
          size: 200,
          periode: "2023",
          periodes: ["2023"],
          sources: [],
          population_millesime: null,
          indicateur: {
            code: "ifn_total",
            libelle: "Indice de fragilité numérique",
            unite: "score",
            decimales: 2,
          },
        }),
    });
    renderAt("/administration/observatoire/imports/imp1", [
      { path: "/administration/observatoire/imports/:id", element: <ImportPage /> },
    ]);
    expect(await screen.findByText(/Les valeurs seront lisibles ici/)).toBeInTheDocument();
    expect(screen.getByRole("table", { name: "Valeurs lues par indicateur" })).toHaveTextContent(
      "ifn_total16,256,25",
    );
    await user.click(screen.getByRole("button", { name: "Publier cette version" }));
    const values = await screen.findByRole("table", { name: /valeurs publiées par cette version, 2023/ });
    expect(
      within(values)
        .getAllByRole("row")
        .slice(1)
        .map((row) => row.textContent),
    ).toEqual(["Chambéry730656,25définitive"]);
    expect(screen.getByRole("link", { name: "Voir sur la carte de l'observatoire" })).toHaveAttribute(
      "href",
      "/observatoire/indicateurs/ifn_total?niveau=commune&periode=2023",
    );
    expect(screen.getByRole("button", { name: "Retirer cette version" })).toBeInTheDocument();
  });
});

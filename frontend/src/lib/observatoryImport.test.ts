import { describe, expect, it } from "vitest";

import {
  csvColumns,
  type ImportForm,
  importParameters,
  parameterErrors,
  reportOf,
} from "./observatoryImport";

const FORM: ImportForm = {
  jeu: "ifn-savoie ",
  titre: "Indice de fragilité numérique",
  source: "Mednum",
  millesime: "2023",
  statut: "definitif",
  niveau: "commune",
  colonne_code: "Code INSEE",
  periodeDe: "fichier",
  periode: "2023",
  colonne_periode: "annee",
  colonnes: [
    { indicateur: "ifn_total", valeur: "Score", numerateur: "", denominateur: "" },
    { indicateur: "part_75_ans_et_plus", valeur: "", numerateur: "p75", denominateur: "pop" },
    { indicateur: "", valeur: "ignorée", numerateur: "", denominateur: "" },
  ],
  feuille: "",
};

describe("importParameters", () => {
  it("maps each indicator to its column, ratios to numerator and denominator, one way of giving the period", () => {
    expect(importParameters(FORM, new Set(["part_75_ans_et_plus"]))).toEqual({
      jeu: "ifn-savoie",
      titre: "Indice de fragilité numérique",
      source: "Mednum",
      millesime: "2023",
      statut: "definitif",
      niveau: "commune",
      colonne_code: "Code INSEE",
      periode: "2023",
      indicateurs: { ifn_total: "Score", part_75_ans_et_plus: { numerateur: "p75", denominateur: "pop" } },
      feuille: undefined,
    });
    const byColumn = importParameters({ ...FORM, periodeDe: "colonne" }, new Set());
    expect(byColumn.colonne_periode).toBe("annee");
    expect(byColumn).not.toHaveProperty("periode");
  });
});

describe("csvColumns", () => {
  it("reads the header whatever the separator, without BOM or quotes", () => {
    expect(csvColumns('\uFEFF"Code INSEE";Nom;Score\r\n73065;Chambéry;7,2')).toEqual([
      "Code INSEE",
      "Nom",
      "Score",
    ]);
    expect(csvColumns("code,score\n73065,7.2")).toEqual(["code", "score"]);
  });
});

describe("parameterErrors and reportOf", () => {
  it("puts each message on its field, and finds the report of a refused file", () => {
    const problem = {
      title: "Fichier refusé",
      status: 422,
      errors: [
        { field: "parametres.colonne_code", reason: "colonne 'code' absente du fichier" },
        { field: "parametres.indicateurs.ifn_total", reason: "ifn_total n'est pas publié au niveau epci" },
        { field: "body.parametres.jeu", reason: "String should match pattern" },
      ],
      rapport: { valide: false },
    };
    expect(parameterErrors(problem)).toEqual({
      colonne_code: "colonne 'code' absente du fichier",
      "indicateurs.ifn_total": "ifn_total n'est pas publié au niveau epci",
      jeu: "String should match pattern",
    });
    expect(reportOf(problem)?.valide).toBe(false);
  });
});

/** Communes as the directory returns them (GET /api/directory/territoires/communes), for pickers' tests. */
export function commune(code: string, nom: string, postcode: string, departement = code.slice(0, 2)) {
  return {
    code,
    nom,
    codes_postaux: [postcode],
    departement_code: departement,
    departement_nom: departement === "73" ? "Savoie" : "Isère",
    epci_code: null,
    epci_nom: null,
    latitude: 45.5,
    longitude: 5.9,
    parent_code: null,
    population: 1000,
    reference_point_source: null,
    region_code: "84",
    region_nom: "Auvergne-Rhône-Alpes",
  };
}

export const SITE = { departement: "73" };

export function communePage(items: ReturnType<typeof commune>[]) {
  return { items, total: items.length, page: 1, size: 6 };
}

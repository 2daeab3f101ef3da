/** A choropleth's features and colours, apart from the map (Leaflet) so that the legend needs no map code. */

export interface ChoroplethFeature {
  type: "Feature";
  id: string;
  geometry: GeoJSON.Geometry;
  properties: {
    code: string;
    nom: string;
    valeur: number | null;
    classe: number | null;
    secret: string | null;
    donnees_partielles?: boolean;
  };
}

/** Light to dark blue (DSFR "bleu France" tints), enough for up to 7 classes; grey when there is no value. */
const CLASS_COLOURS = ["#ececfe", "#cacafb", "#a1a1f8", "#8585f6", "#6a6af4", "#313178", "#1b1b35"];
const NO_VALUE_COLOUR = "#e5e5e5";

export function classColour(klass: number | null, classes: number): string {
  if (klass === null) return NO_VALUE_COLOUR;
  const offset = Math.floor((CLASS_COLOURS.length - classes) / 2);
  return CLASS_COLOURS[Math.min(CLASS_COLOURS.length - 1, offset + klass - 1)];
}

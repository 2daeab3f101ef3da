/** Indicator values as people read them: the unit, the indicator's decimals, French number formatting. */
const UNIT_SUFFIX: Record<string, string> = {
  pourcentage: " %",
  pour_10000_habitants: " pour 10 000 hab.",
  minutes: " min",
  nombre: "",
  score: "",
};

export function valueFormatter(unit: string, decimals: number): (value: number) => string {
  const number = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 0, maximumFractionDigits: decimals });
  return (value) => `${number.format(value)}${UNIT_SUFFIX[unit] ?? ""}`;
}

export const LEVEL_LABELS: Record<string, string> = {
  commune: "Communes",
  epci: "Intercommunalités",
  groupement: "Groupements",
  departement: "Départements",
  region: "Régions",
  pays: "France",
};

/** Levels shown inside the followed department; the wider ones have one value each, not a map. */
export const MAP_LEVELS = ["commune", "epci", "groupement"];

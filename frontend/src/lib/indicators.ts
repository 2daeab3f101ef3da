/** Indicator values as people read them: the unit, the indicator's decimals, French number formatting. */
const UNIT_SUFFIX: Record<string, string> = {
  pourcentage: " %",
  pour_10000_habitants: " pour 10 000 hab.",
  minutes: " min",
  nombre: "",
  score: "",
};

export function valueFormatter(unit: string, decimals: number): (value: number) => string {
  const number = new Intl.NumberFormat("fr-FR", {
    minimumFractionDigits: 0,
    maximumFractionDigits: decimals,
  });
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

/** The department the observatory's screens follow (its communes, EPCIs and groupings). */
export const FOLLOWED_DEPARTMENT = "departement:73";

/** Levels a territory profile exists for, with the singular label a page title uses. */
export const PROFILE_LEVELS: Record<string, string> = {
  commune: "Commune",
  epci: "Intercommunalité",
  groupement: "Groupement",
  departement: "Département",
};

export function profilePath(level: string, code: string): string {
  return `/observatoire/territoires/${level}/${encodeURIComponent(code)}`;
}

interface Shown {
  valeur?: number | null;
  secret?: string | null;
  /** An aggregate covering too little of the territory's population to be its value (Savoie's is not France's). */
  donnees_partielles?: boolean;
}

/** A published value as a table cell says it: the number, "secret statistique", "données partielles", or a dash
 * when there is none. */
export function shownValue(value: Shown | null | undefined, format: (value: number) => string): string {
  if (!value) return "—";
  if (value.valeur === null || value.valeur === undefined) {
    if (value.secret) return "secret statistique";
    return value.donnees_partielles ? "données partielles" : "—";
  }
  return format(value.valeur);
}

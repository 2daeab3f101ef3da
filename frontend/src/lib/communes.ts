import { api, unwrap } from "../api/client";
import type { Commune } from "../api/types";
import { siteInfo } from "./site";

export function normalise(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[-'’\s]+/g, " ")
    .trim()
    .toLowerCase();
}

/**
 * The communes a person may mean by what they typed (name or postcode), best first (those of the platform's
 * département before the others). One exact name or postcode
 * match wins alone, so "Chambéry" does not ask "which one?" because of "La Motte-Servolex… (73000)".
 */
export async function communesMatching(text: string, signal?: AbortSignal): Promise<Commune[]> {
  // The platform's own département first: "Saint-Martin" typed in Savoie means a Savoie commune.
  const departement = (await siteInfo())?.departement;
  const query = { q: text, size: 6, ...(departement ? { departement_prefere: departement } : {}) };
  const page = await unwrap(api.GET("/api/directory/territoires/communes", { params: { query }, signal }));
  const located = page.items.filter((commune) => commune.latitude !== null && commune.longitude !== null);
  const wanted = normalise(text);
  const exact = located.filter(
    (commune) => normalise(commune.nom) === wanted || commune.code === text.trim(),
  );
  if (exact.length === 1) return exact;
  return located;
}

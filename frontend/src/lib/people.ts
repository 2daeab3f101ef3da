/**
 * Who did something, as a person reads it: the services record « Nom (user:<uuid>) » or a bare
 * `user:<uuid>`; the screens show the name, never the internal identifier. The one helper for every screen.
 */
const SUFFIX = /\s*\((user|api_key|key|cli|service|system):[^)]*\)\s*$/;
const BARE = /^(user|api_key|key|cli|service|system):\S*$/;
const KINDS: Record<string, string> = {
  user: "un compte de la plateforme",
  api_key: "une clé d'API",
  key: "une clé d'API",
  cli: "la ligne de commande",
  service: "la plateforme",
  system: "la plateforme",
};

export function personName(actor: string | null | undefined): string {
  if (!actor) return "—";
  const text = actor.trim();
  const bare = BARE.exec(text);
  if (bare) return KINDS[bare[1]] ?? "un compte de la plateforme";
  const named = text.replace(SUFFIX, "").trim();
  return named || "un compte de la plateforme";
}

/** Finds a commune, an intercommunality, a grouping or a department by name or code, and leads to its profile. */
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useState } from "react";
import { Link } from "react-router";

import { api, unwrap } from "../../api/client";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { PROFILE_LEVELS, profilePath } from "../../lib/indicators";
import { useResource } from "../../lib/useResource";

export function TerritorySearch() {
  const [text, setText] = useState("");
  const [query, setQuery] = useState("");
  const found = useResource(query ? `territories:${query}` : null, (signal) =>
    unwrap(api.GET("/api/observatory/territoires", { params: { query: { q: query, size: 50 } }, signal })),
  );
  // Regions and France have no profile of their own here: they are the comparisons.
  const shown = (found.data?.items ?? []).filter((territory) => territory.niveau in PROFILE_LEVELS);

  return (
    <section aria-labelledby="territoire-titre" className="fr-mt-4w fr-mb-4w">
      <h2 id="territoire-titre" className="fr-h4">
        Le profil d'un territoire
      </h2>
      <form
        role="search"
        aria-label="Rechercher un territoire"
        onSubmit={(event) => {
          event.preventDefault();
          setQuery(text.trim());
        }}
      >
        <Input
          label="Commune, intercommunalité, groupement ou département"
          hintText="Nom ou code (INSEE, SIREN) : tous ses indicateurs, comparés à son département et à la France."
          nativeInputProps={{ type: "search", value: text, onChange: (event) => setText(event.target.value) }}
          addon={
            <button type="submit" className="fr-btn">
              Chercher
            </button>
          }
        />
      </form>
      <ProblemAlert problem={found.problem} unavailable="L'observatoire" onRetry={found.reload} />
      {found.loading && <Loading />}
      {found.data && !found.loading && (
        <>
          <p role="status">
            {shown.length === 0 ? "Aucun territoire trouvé." : `${shown.length} territoire(s) trouvé(s)`}
          </p>
          <ul>
            {shown.map((territory) => (
              <li key={`${territory.niveau}:${territory.code}`}>
                <Link to={profilePath(territory.niveau, territory.code)}>{territory.nom}</Link> (
                {PROFILE_LEVELS[territory.niveau].toLowerCase()}
                {territory.niveau !== "departement" && territory.departement_code
                  ? `, ${territory.departement_code}`
                  : ""}
                )
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

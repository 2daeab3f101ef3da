import { Card } from "@codegouvfr/react-dsfr/Card";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useState } from "react";
import { Link } from "react-router";

import { api, unwrap } from "../../api/client";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";
import { TerritorySearch } from "./TerritorySearch";

export default function IndicatorsPage() {
  usePageTitle("Observatoire de l'inclusion numérique");
  const [text, setText] = useState("");
  const [query, setQuery] = useState("");
  const indicators = useResource(`indicators:${query}`, (signal) =>
    unwrap(
      api.GET("/api/observatory/indicateurs", {
        params: { query: { size: 100, ...(query ? { q: query } : {}) } },
        signal,
      }),
    ),
  );
  return (
    <>
      <h1>Observatoire de l'inclusion numérique</h1>
      <p className="fr-text--lead">
        Les indicateurs de la Savoie, par commune, intercommunalité et département, et le suivi de la{" "}
        <Link to="/observatoire/feuille-de-route">feuille de route France Numérique Ensemble</Link> et les{" "}
        <Link to="/observatoire/comites">rapports des comités de suivi</Link>.
      </p>
      <TerritorySearch />
      <h2 className="fr-h4">Les indicateurs</h2>
      <form
        role="search"
        aria-label="Rechercher un indicateur"
        onSubmit={(event) => {
          event.preventDefault();
          setQuery(text.trim());
        }}
      >
        <Input
          label="Rechercher un indicateur"
          nativeInputProps={{ type: "search", value: text, onChange: (event) => setText(event.target.value) }}
          addon={
            <button type="submit" className="fr-btn">
              Rechercher
            </button>
          }
        />
      </form>
      <ProblemAlert problem={indicators.problem} unavailable="L'observatoire" onRetry={indicators.reload} />
      {indicators.loading && !indicators.data && <Loading />}
      {indicators.data && (
        <>
          <p role="status">{indicators.data.total} indicateur(s)</p>
          <ul className="fr-grid-row fr-grid-row--gutters fne-place-list">
            {indicators.data.items.map((indicator) => (
              <li key={indicator.code} className="fr-col-12 fr-col-md-6">
                <Card
                  title={indicator.libelle}
                  titleAs="h3"
                  desc={indicator.description}
                  linkProps={{ to: `/observatoire/indicateurs/${indicator.code}` }}
                  enlargeLink
                  size="small"
                />
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import { useLocation } from "react-router";

import { api, unwrap } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { usePageTitle } from "../../lib/usePageTitle";
import { useSubmit } from "../../lib/useSubmit";

/** The two links of a followed search's messages: confirm (/recherches/confirmation) and stop (/recherches/desinscription). */
export default function SavedSearchLinkPage() {
  const stopping = useLocation().pathname.endsWith("desinscription");
  usePageTitle(stopping ? "Ne plus suivre une recherche" : "Confirmer le suivi d'une recherche");
  const [token] = useState(() => {
    const hash = window.location.hash.slice(1);
    if (hash) window.history.replaceState(null, "", window.location.pathname);
    return hash;
  });
  const [done, setDone] = useState(false);
  const { busy, problem, run } = useSubmit();
  const act = () =>
    void run(async () => {
      if (stopping)
        await unwrap(
          api.POST("/api/directory/recherches/desinscription", { params: { query: { jeton: token } } }),
        );
      else await unwrap(api.POST("/api/directory/recherches/confirmation", { body: { jeton: token } }));
      setDone(true);
    });
  return (
    <>
      <h1>{stopping ? "Ne plus suivre une recherche" : "Confirmer le suivi d'une recherche"}</h1>
      <ProblemAlert problem={problem} focus />
      {done ? (
        <Alert
          severity="success"
          title="C'est enregistré"
          description={
            stopping
              ? "Vous ne recevrez plus de messages pour cette recherche."
              : "Vous recevrez au plus un message par semaine, quand des lieux correspondants sont ajoutés ou modifiés."
          }
        />
      ) : !token ? (
        <Alert
          severity="error"
          title="Lien incomplet"
          description="Ouvrez le lien reçu par courriel en entier, sans le modifier."
        />
      ) : (
        <Button onClick={act} disabled={busy}>
          {stopping ? "Ne plus recevoir de messages" : "Confirmer le suivi"}
        </Button>
      )}
    </>
  );
}

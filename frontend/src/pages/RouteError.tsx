import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { useRouteError } from "react-router";

/** A screen that failed to load (often a new version deployed meanwhile): say so and offer a reload. */
export function RouteError() {
  const error = useRouteError();
  return (
    <div className="fr-container fr-py-4w">
      <Alert
        severity="error"
        title="Cet écran n'a pas pu s'afficher"
        description={
          <>
            <p>{error instanceof Error ? error.message : "Erreur inattendue."}</p>
            <p>
              <a href={window.location.href}>Recharger la page</a>
            </p>
          </>
        }
      />
    </div>
  );
}

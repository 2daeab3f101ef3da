import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";

import { type Scope, useAuth } from "../auth/AuthContext";
import { Loading } from "./Loading";

/** Screens for signed-in people: anonymous visitors go to the login page and come back after it. */
export function RequireScope({ scope, children }: { scope?: Scope; children: ReactNode }) {
  const { me, can } = useAuth();
  const location = useLocation();
  if (me === undefined) return <Loading label="Vérification de la connexion…" />;
  if (me === null) {
    const back = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/connexion?retour=${back}`} replace />;
  }
  if (scope && !can(scope)) {
    return (
      <Alert
        severity="warning"
        title="Accès réservé"
        description="Votre compte n'a pas les droits nécessaires pour cet écran. Adressez-vous à un administrateur."
      />
    );
  }
  return <>{children}</>;
}

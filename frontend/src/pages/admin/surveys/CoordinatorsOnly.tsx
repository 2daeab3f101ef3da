import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ReactNode } from "react";

import { useAuth } from "../../../auth/AuthContext";
import { RequireScope } from "../../../components/RequireScope";
import { COORDINATING_ROLES } from "./labels";

function Role({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  if (me?.kind === "user" && !COORDINATING_ROLES.includes(me.role ?? "")) {
    return (
      <Alert
        severity="warning"
        title="Accès réservé aux coordinateurs"
        description="Les questionnaires, les campagnes et les demandes sur les données personnelles sont gérés par la coordination. Adressez-vous à elle ou à un administrateur."
      />
    );
  }
  return <>{children}</>;
}

/** The surveys' authoring screens: `surveys:write`, and a coordinator's or administrator's account (as the API asks). */
export function CoordinatorsOnly({ children }: { children: ReactNode }) {
  return (
    <RequireScope scope="surveys:write">
      <Role>{children}</Role>
    </RequireScope>
  );
}

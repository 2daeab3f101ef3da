import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useEffect, useRef } from "react";

import { isOutage, type Problem } from "../api/problem";
import { frenchAllowed, frenchReason } from "../lib/frenchReasons";

interface Props {
  problem: Problem | undefined;
  /** French labels of the form's fields, to name them as the form does. */
  fieldLabels?: Record<string, string>;
  /** Moves focus to the message, for errors that follow a submit (the DSFR alert is also role=alert). */
  focus?: boolean;
  /** What stops working when the service is down, as a person says it: « La recherche de lieux ». */
  unavailable?: string;
  /** Offered as a « Réessayer » button when the service is down or unreachable (a failed submission's own
   * retry, from lib/useSubmit, when not given). */
  onRetry?: () => void;
  /** Offered as « Recharger » when the record changed since it was read (412): reads it again, so that the
   * change can be made on what is now saved. */
  onReload?: () => void;
}

/** An API error as the user reads it: its title, its detail, and what is wrong with each field. */
export function ProblemAlert({
  problem,
  fieldLabels = {},
  focus = false,
  unavailable,
  onRetry,
  onReload,
}: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem && focus) ref.current?.focus();
  }, [problem, focus]);
  if (!problem) return null;
  if (isOutage(problem)) {
    // An outage is no one's fault: say what does not work, that it is temporary, and offer to try again.
    const offline = problem.code === "unreachable";
    const retry = onRetry ?? problem.retry;
    return (
      <div ref={ref} tabIndex={-1} className="fr-mb-3w">
        <Alert
          severity={offline ? "warning" : "error"}
          title={
            offline ? "Pas de connexion" : `${unavailable ?? "Ce service"} est momentanément indisponible`
          }
          description={
            <>
              <p>
                {offline
                  ? "Vérifiez votre connexion à Internet, puis réessayez."
                  : "Réessayez dans quelques instants."}
                {problem.retry && " Rien n'a été enregistré ; votre saisie est conservée."}
              </p>
              {retry && (
                <Button
                  size="small"
                  priority="secondary"
                  iconId="fr-icon-refresh-line"
                  className="fr-mt-1w"
                  onClick={retry}
                >
                  Réessayer
                </Button>
              )}
            </>
          }
        />
      </div>
    );
  }
  const errors = problem.errors ?? [];
  return (
    <div ref={ref} tabIndex={-1} className="fr-mb-3w">
      <Alert
        severity="error"
        title={problem.title}
        description={
          <>
            {problem.detail && <p>{problem.detail}</p>}
            {problem.status === 412 && onReload && (
              <>
                <p>Vos modifications n'ont pas été enregistrées.</p>
                <Button
                  type="button"
                  size="small"
                  priority="secondary"
                  iconId="fr-icon-refresh-line"
                  className="fr-mt-1w"
                  onClick={onReload}
                >
                  Recharger
                </Button>
              </>
            )}
            {errors.length > 0 && (
              <ul>
                {errors.map((error, index) => {
                  const field = error.field.split(".")[0];
                  return (
                    <li key={index}>
                      {field && <strong>{fieldLabels[field] ?? field.replace(/_/g, " ")} : </strong>}
                      {frenchReason(error)}
                      {error.allowed && <> (valeurs permises : {frenchAllowed(error.allowed)})</>}
                    </li>
                  );
                })}
              </ul>
            )}
          </>
        }
      />
    </div>
  );
}

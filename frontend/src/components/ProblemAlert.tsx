import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { useEffect, useRef } from "react";

import type { Problem } from "../api/problem";
import { frenchAllowed, frenchReason } from "../lib/frenchReasons";

interface Props {
  problem: Problem | undefined;
  /** French labels of the form's fields, to name them as the form does. */
  fieldLabels?: Record<string, string>;
  /** Moves focus to the message, for errors that follow a submit (the DSFR alert is also role=alert). */
  focus?: boolean;
}

/** An API error as the user reads it: its title, its detail, and what is wrong with each field. */
export function ProblemAlert({ problem, fieldLabels = {}, focus = false }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem && focus) ref.current?.focus();
  }, [problem, focus]);
  if (!problem) return null;
  const errors = problem.errors ?? [];
  return (
    <div ref={ref} tabIndex={-1} className="fr-mb-3w">
      <Alert
        severity="error"
        title={problem.title}
        description={
          <>
            {problem.detail && <p>{problem.detail}</p>}
            {errors.length > 0 && (
              <ul>
                {errors.map((error, index) => {
                  const field = error.field.split(".")[0];
                  return (
                    <li key={index}>
                      {field && <strong>{fieldLabels[field] ?? field} : </strong>}
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

import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";

import { api, unwrap } from "../../../api/client";
import type { User } from "../../../api/types";
import { useSubmit } from "../../../lib/useSubmit";
import { ROLE_LABELS } from "../../../lib/vocabulary";
import type { Shown } from "./OneTimeLink";

/** Deactivation and reactivation, each after a confirmation that says what will happen. */
export function ActivationButton({ user, onChanged }: { user: User; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, problem, run } = useSubmit();
  const change = () =>
    void run(async () => {
      const target = { params: { path: { user_id: user.id } } };
      await unwrap(
        user.active
          ? api.POST("/api/auth/users/{user_id}/deactivation", target)
          : api.POST("/api/auth/users/{user_id}/reactivation", target),
      );
      setConfirming(false);
      onChanged();
    });
  return (
    <>
      {problem && (
        <p className="fr-error-text" role="alert">
          {problem.detail ?? problem.title}
        </p>
      )}
      {confirming ? (
        <>
          <p className="fr-text--sm fr-mb-1w">
            {user.active
              ? `${user.display_name} sera déconnecté partout et ne pourra plus se connecter.`
              : user.pending
                ? `${user.display_name} pourra se connecter avec ProConnect, avec le rôle « ${ROLE_LABELS[user.role] ?? user.role} » (changez-le d'abord avec « Modifier » si besoin).`
                : `${user.display_name} pourra de nouveau se connecter.`}
          </p>
          <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
            <li>
              <Button size="small" onClick={change} disabled={busy}>
                {user.active
                  ? "Confirmer la désactivation"
                  : user.pending
                    ? "Confirmer l'accès"
                    : "Confirmer la réactivation"}
              </Button>
            </li>
            <li>
              <Button size="small" priority="secondary" onClick={() => setConfirming(false)}>
                Annuler
              </Button>
            </li>
          </ul>
        </>
      ) : (
        <Button
          size="small"
          priority="secondary"
          onClick={() => setConfirming(true)}
          title={`${user.active ? "Désactiver" : user.pending ? "Accorder l'accès au" : "Réactiver"} compte de ${user.display_name}`}
        >
          {user.active ? "Désactiver" : user.pending ? "Accorder l'accès" : "Réactiver"}
        </Button>
      )}
    </>
  );
}

export function ResetLinkButton({ user, onIssued }: { user: User; onIssued: (shown: Shown) => void }) {
  const { busy, problem, run } = useSubmit();
  const issue = () =>
    void run(async () => {
      const token = await unwrap(
        api.POST("/api/auth/users/{user_id}/password-token", { params: { path: { user_id: user.id } } }),
      );
      onIssued({ title: `Nouveau lien pour ${user.display_name}`, token });
    });
  return (
    <>
      {problem && <p className="fr-error-text">{problem.detail ?? problem.title}</p>}
      <Button
        size="small"
        priority="tertiary"
        onClick={issue}
        disabled={busy}
        title={`Nouveau lien de mot de passe pour ${user.display_name}`}
      >
        Lien de mot de passe
      </Button>
    </>
  );
}

import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { ProConnectButton } from "@codegouvfr/react-dsfr/ProConnectButton";

import { api, unwrap } from "../../api/client";
import { useResource } from "../../lib/useResource";

/** Why a ProConnect sign-in came back without a session (the gateway's ?proconnect= reasons). */
export const PROCONNECT_MESSAGES: Record<
  string,
  { severity: "info" | "error"; title: string; text: string }
> = {
  attente: {
    severity: "info",
    title: "Compte en attente",
    text: "Votre identité ProConnect est reconnue. Un administrateur de la plateforme doit maintenant vous accorder un accès ; vous pourrez ensuite vous connecter avec ProConnect.",
  },
  desactive: {
    severity: "error",
    title: "Compte désactivé",
    text: "Ce compte a été désactivé : contactez l'administrateur de la plateforme.",
  },
  refus: {
    severity: "info",
    title: "Connexion annulée",
    text: "La connexion avec ProConnect a été annulée. Vous pouvez réessayer.",
  },
  expire: {
    severity: "error",
    title: "Connexion trop longue",
    text: "La connexion a pris trop de temps. Recommencez.",
  },
  courriel: {
    severity: "error",
    title: "Adresse manquante",
    text: "ProConnect n'a pas transmis votre adresse électronique : la connexion est impossible.",
  },
  indisponible: {
    severity: "error",
    title: "ProConnect injoignable",
    text: "ProConnect ne répond pas pour le moment. Réessayez plus tard ou utilisez votre mot de passe.",
  },
  erreur: {
    severity: "error",
    title: "Connexion refusée",
    text: "La connexion avec ProConnect n'a pas pu être vérifiée. Recommencez depuis cette page.",
  },
};

/** The official "S'identifier avec ProConnect" button, when the platform offers it, and the outcome of a return. */
export function ProConnectSignIn({ outcome }: { outcome: string | null }) {
  const status = useResource("proconnect", (signal) => unwrap(api.GET("/api/auth/proconnect", { signal })));
  const message = outcome ? (PROCONNECT_MESSAGES[outcome] ?? PROCONNECT_MESSAGES.erreur) : undefined;
  return (
    <>
      {message && (
        <Alert
          severity={message.severity}
          title={message.title}
          description={message.text}
          className="fr-mb-3w"
        />
      )}
      {status.data?.active && (
        <div className="fr-mb-4w">
          <h2 className="fr-h5">Avec ProConnect</h2>
          <p className="fr-text--sm">
            Agents publics et professionnels : identifiez-vous avec votre compte professionnel.
          </p>
          <ProConnectButton url="/api/auth/proconnect/connexion" />
          <p className="fr-hr-or fr-mt-2w">ou</p>
        </div>
      )}
    </>
  );
}

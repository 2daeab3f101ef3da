import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useEffect, useRef, useState } from "react";

import type { PasswordToken } from "../../../api/types";
import { formatDateTime } from "../../../lib/format";

/** The page where the link's holder chooses a password: the secret travels in the fragment, which browsers never
 * send to a server (nor to a log, nor in a Referer). */
export function passwordLink(token: string, origin: string = window.location.origin): string {
  return `${origin}/mot-de-passe#${token}`;
}

/** A one-time link, shown once: focused so that it is announced, with a copy button. */
export function OneTimeLink({
  title,
  token,
  onDone,
}: {
  title: string;
  token: PasswordToken;
  onDone: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [copied, setCopied] = useState(false);
  const link = token.token ? passwordLink(token.token) : "";
  useEffect(() => ref.current?.focus(), []);
  if (!token.token) {
    return (
      <div ref={ref} tabIndex={-1} className="fr-mb-4w">
        <Alert
          severity="success"
          title={title}
          description={
            <>
              <p>
                Un courriel contenant le lien a été envoyé à la personne : il lui permet de choisir son mot de
                passe, une seule fois, jusqu'au {formatDateTime(token.expires_at)}.
              </p>
              <Button size="small" priority="tertiary" onClick={onDone}>
                Fermer
              </Button>
            </>
          }
        />
      </div>
    );
  }
  return (
    <div ref={ref} tabIndex={-1} className="fr-mb-4w">
      <Alert
        severity="success"
        title={title}
        description={
          <>
            <p>
              Transmettez ce lien à la personne, de préférence par un autre canal que sa messagerie
              (téléphone, remise en main propre) : il lui permet de choisir son mot de passe, une seule fois,
              jusqu'au {formatDateTime(token.expires_at)}. Il ne sera plus affiché.
            </p>
            <p className="fne-key-secret" data-testid="password-link">
              {link}
            </p>
            <ul className="fr-btns-group fr-btns-group--inline-sm">
              <li>
                <Button
                  size="small"
                  priority="secondary"
                  iconId="fr-icon-clipboard-line"
                  onClick={() => void navigator.clipboard?.writeText(link).then(() => setCopied(true))}
                >
                  {copied ? "Copié" : "Copier le lien"}
                </Button>
              </li>
              <li>
                <Button size="small" priority="tertiary" onClick={onDone}>
                  J'ai transmis le lien
                </Button>
              </li>
            </ul>
          </>
        }
      />
    </div>
  );
}

export interface Shown {
  title: string;
  token: PasswordToken;
}

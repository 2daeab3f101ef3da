import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";

interface Props {
  title: string;
  text: string;
}

/**
 * Share a page: the phone's own share sheet when it has one (Web Share API), copying the link otherwise, and
 * printing (the print stylesheet keeps the content only). What happened is said in a live region.
 */
export function ShareActions({ title, text }: Props) {
  const [message, setMessage] = useState("");
  const url = window.location.href;
  const canShare = typeof navigator.share === "function";

  const share = async () => {
    try {
      await navigator.share({ title, text, url });
    } catch (error) {
      // The person closed the share sheet: nothing to say.
      if (!(error instanceof DOMException && error.name === "AbortError"))
        setMessage("Le partage n'a pas abouti : copiez le lien.");
    }
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setMessage("Lien copié : vous pouvez le coller dans un message.");
    } catch {
      setMessage(`Copiez ce lien : ${url}`);
    }
  };

  return (
    <div className="fne-no-print fr-mb-3w">
      <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-btns-group--icon-left">
        {canShare && (
          <li>
            <Button
              priority="secondary"
              size="small"
              iconId="fr-icon-share-line"
              onClick={() => void share()}
            >
              Partager
            </Button>
          </li>
        )}
        <li>
          <Button priority="secondary" size="small" iconId="fr-icon-links-line" onClick={() => void copy()}>
            Copier le lien
          </Button>
        </li>
        <li>
          <Button
            priority="secondary"
            size="small"
            iconId="fr-icon-printer-line"
            onClick={() => window.print()}
          >
            Imprimer
          </Button>
        </li>
      </ul>
      <p role="status" className="fr-text--sm fr-mb-0">
        {message}
      </p>
    </div>
  );
}

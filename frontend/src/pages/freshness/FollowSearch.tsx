import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useId, useState } from "react";

import { api, unwrap } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useSubmit } from "../../lib/useSubmit";

/** "Suivre cette recherche": at most one e-mail a week with the new or changed places, after a confirmation link. */
export function FollowSearch({ query, label }: { query: string; label: string }) {
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const { busy, problem, run } = useSubmit();
  const formId = useId();
  if (sent) {
    return (
      <Alert
        severity="success"
        small
        className="fr-mt-2w"
        description="Un courriel vous a été envoyé : confirmez le suivi avec le lien qu'il contient. Sans confirmation, rien ne vous sera envoyé."
      />
    );
  }
  if (!open) {
    return (
      <Button
        priority="tertiary"
        iconId="fr-icon-mail-line"
        className="fr-mt-2w"
        onClick={() => setOpen(true)}
        aria-controls={formId}
        aria-expanded={false}
      >
        Suivre cette recherche par courriel
      </Button>
    );
  }
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await unwrap(
        api.POST("/api/directory/recherches", {
          body: { courriel: email, recherche: query, libelle: label },
        }),
      );
      setSent(true);
    });
  };
  return (
    <form id={formId} onSubmit={submit} className="fr-mt-2w">
      <h3 className="fr-h6">Suivre cette recherche</h3>
      <p className="fr-text--sm">
        Au plus un courriel par semaine, seulement quand des lieux correspondants sont ajoutés ou modifiés.
        Désinscription en un clic depuis chaque message.
      </p>
      <ProblemAlert
        problem={problem}
        fieldLabels={{ courriel: "Adresse électronique", recherche: "Recherche" }}
        focus
      />
      <Input
        label="Adresse électronique"
        hintText="Format attendu : nom@domaine.fr"
        nativeInputProps={{
          type: "email",
          required: true,
          autoComplete: "email",
          value: email,
          onChange: (event) => setEmail(event.target.value),
        }}
      />
      <Button type="submit" disabled={busy}>
        Recevoir les nouveautés
      </Button>
    </form>
  );
}

import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import { Link } from "react-router";

import { api, unwrap } from "../../api/client";
import { fieldMessages } from "../../api/problem";
import { ProblemAlert } from "../../components/ProblemAlert";
import { usePageTitle } from "../../lib/usePageTitle";
import { useSubmit } from "../../lib/useSubmit";
import { NewPasswordFields, useNewPassword } from "./NewPasswordFields";

/** The link's secret, read once from the fragment and then taken out of the address bar and the history. */
function useLinkToken(): string {
  const [token] = useState(() => {
    const value = window.location.hash.slice(1);
    if (value) window.history.replaceState(window.history.state, "", window.location.pathname);
    return value;
  });
  return token;
}

/** Where an invited person (or one who forgot their password) chooses it, with the link an administrator gave. */
export default function SetPasswordPage() {
  usePageTitle("Choisir votre mot de passe");
  const token = useLinkToken();
  const password = useNewPassword();
  const [done, setDone] = useState(false);
  const { busy, problem, run } = useSubmit();
  const errors = fieldMessages(problem);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!password.check()) return;
    void run(async () => {
      await unwrap(api.POST("/api/auth/password", { body: { token, new_password: password.value } }));
      setDone(true);
    });
  };

  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>Choisir votre mot de passe</h1>
        {done ? (
          <Alert
            severity="success"
            title="Mot de passe enregistré"
            description={
              <p>
                Vous pouvez maintenant <Link to="/connexion">vous connecter</Link>.
              </p>
            }
          />
        ) : !token ? (
          <Alert
            severity="warning"
            title="Lien incomplet"
            description="Ouvrez le lien complet que vous a transmis l'administrateur de la plateforme, ou demandez-lui-en un nouveau."
          />
        ) : (
          <>
            <p>
              Ce lien ne sert qu'une fois. Choisissez un mot de passe que vous n'utilisez nulle part ailleurs.
            </p>
            <ProblemAlert
              problem={problem}
              fieldLabels={{ new_password: "Nouveau mot de passe", token: "Lien" }}
              focus
            />
            <form onSubmit={submit} noValidate>
              <NewPasswordFields password={password} serverError={errors.new_password} />
              <Button type="submit" disabled={busy}>
                Enregistrer le mot de passe
              </Button>
            </form>
          </>
        )}
      </div>
    </div>
  );
}

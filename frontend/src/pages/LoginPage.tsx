import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";

import { useAuth } from "../auth/AuthContext";
import { ProblemAlert } from "../components/ProblemAlert";
import { usePageTitle } from "../lib/usePageTitle";
import { useSubmit } from "../lib/useSubmit";
import { ProConnectSignIn } from "./account/ProConnectSignIn";

/** Only paths of this site: a crafted ?retour= must not send a freshly signed-in person elsewhere. */
export function safeReturnPath(value: string | null): string {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/administration";
}

export default function LoginPage() {
  usePageTitle("Connexion");
  const { me, login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, problem, run } = useSubmit();
  const back = safeReturnPath(params.get("retour"));

  if (me && !busy) return <Navigate to={back} replace />;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await login(email, password);
      navigate(back, { replace: true });
    });
  };

  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>Connexion</h1>
        <p>
          Espace des coordinateurs, médiateurs et administrateurs du réseau d'inclusion numérique de la
          Savoie.
        </p>
        <ProConnectSignIn outcome={params.get("proconnect")} />
        <ProblemAlert
          problem={problem}
          fieldLabels={{ email: "Adresse électronique", password: "Mot de passe" }}
          focus
        />
        <form onSubmit={submit}>
          <fieldset className="fr-fieldset">
            <legend className="fr-fieldset__legend">Se connecter avec son compte</legend>
            <div className="fr-fieldset__element">
              <Input
                label="Adresse électronique"
                hintText="Format attendu : nom@domaine.fr"
                nativeInputProps={{
                  type: "email",
                  name: "email",
                  autoComplete: "username",
                  required: true,
                  value: email,
                  onChange: (event) => setEmail(event.target.value),
                }}
              />
            </div>
            <div className="fr-fieldset__element">
              <PasswordInput
                label="Mot de passe"
                messages={[]}
                nativeInputProps={{
                  name: "password",
                  autoComplete: "current-password",
                  required: true,
                  value: password,
                  onChange: (event) => setPassword(event.target.value),
                }}
              />
            </div>
          </fieldset>
          <Button type="submit" disabled={busy}>
            Se connecter
          </Button>
        </form>
        <p className="fr-mt-3w fr-text--sm">
          Pas de compte ? Les comptes sont créés par l'administrateur de la plateforme au conseil
          départemental.
        </p>
      </div>
    </div>
  );
}

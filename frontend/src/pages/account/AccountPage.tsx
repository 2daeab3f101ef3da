import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { useState } from "react";

import { api, unwrap } from "../../api/client";
import { fieldMessages } from "../../api/problem";
import type { User } from "../../api/types";
import { useAuth } from "../../auth/AuthContext";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RequireScope } from "../../components/RequireScope";
import { formatDateTime } from "../../lib/format";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";
import { useSubmit } from "../../lib/useSubmit";
import { ROLE_LABELS } from "../../lib/vocabulary";
import { NewPasswordFields, useNewPassword } from "./NewPasswordFields";

function DisplayName({ user, onSaved }: { user: User; onSaved: () => void }) {
  const [name, setName] = useState(user.display_name);
  const [saved, setSaved] = useState(false);
  const { busy, problem, run } = useSubmit();
  const errors = fieldMessages(problem);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setSaved(false);
    void run(async () => {
      await unwrap(api.PATCH("/api/auth/account", { body: { display_name: name } }));
      setSaved(true);
      onSaved();
    });
  };
  return (
    <form onSubmit={submit} noValidate>
      <h2 className="fr-h4">Nom affiché</h2>
      <ProblemAlert problem={problem} fieldLabels={{ display_name: "Nom affiché" }} focus />
      {saved && (
        <p role="status" className="fr-valid-text">
          Nom enregistré.
        </p>
      )}
      <Input
        label="Nom affiché"
        hintText="Visible des autres membres du réseau (historique des modifications, comptes)."
        state={errors.display_name ? "error" : "default"}
        stateRelatedMessage={errors.display_name}
        nativeInputProps={{
          autoComplete: "name",
          value: name,
          onChange: (event) => setName(event.target.value),
        }}
      />
      <Button type="submit" disabled={busy}>
        Enregistrer le nom
      </Button>
    </form>
  );
}

const PASSWORD_LABELS = { current_password: "Mot de passe actuel", new_password: "Nouveau mot de passe" };

function ChangePassword() {
  const [current, setCurrent] = useState("");
  const password = useNewPassword();
  const [done, setDone] = useState(false);
  const { busy, problem, run } = useSubmit();
  const errors = fieldMessages(problem);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setDone(false);
    if (!password.check()) return;
    void run(async () => {
      await unwrap(
        api.POST("/api/auth/account/password", {
          body: { current_password: current, new_password: password.value },
        }),
      );
      setCurrent("");
      password.reset();
      setDone(true);
    });
  };
  return (
    <form onSubmit={submit} noValidate className="fr-mt-6w">
      <h2 className="fr-h4">Mot de passe</h2>
      <ProblemAlert problem={problem} fieldLabels={PASSWORD_LABELS} focus />
      {done && (
        <Alert
          severity="success"
          small
          description="Mot de passe changé. Vos autres sessions (autres navigateurs, autres appareils) sont fermées."
          className="fr-mb-3w"
        />
      )}
      <PasswordInput
        label={PASSWORD_LABELS.current_password}
        messages={errors.current_password ? [{ severity: "error", message: errors.current_password }] : []}
        nativeInputProps={{
          name: "current_password",
          autoComplete: "current-password",
          value: current,
          onChange: (event) => setCurrent(event.target.value),
        }}
      />
      <NewPasswordFields password={password} serverError={errors.new_password} />
      <Button type="submit" disabled={busy}>
        Changer le mot de passe
      </Button>
    </form>
  );
}

function Account() {
  usePageTitle("Mon compte");
  const { refresh } = useAuth();
  const account = useResource("account", (signal) => unwrap(api.GET("/api/auth/account", { signal })));
  const user = account.data;
  return (
    <>
      <h1>Mon compte</h1>
      <ProblemAlert problem={account.problem} />
      {account.loading && !user && <Loading />}
      {user && (
        <>
          <dl className="fr-mb-4w">
            <dt>Adresse électronique</dt>
            <dd>{user.email}</dd>
            <dt>Rôle</dt>
            <dd>{ROLE_LABELS[user.role] ?? user.role}</dd>
            <dt>Mot de passe changé le</dt>
            <dd>{user.password_changed_at ? formatDateTime(user.password_changed_at) : "—"}</dd>
          </dl>
          <p className="fr-text--sm">
            Pour changer d'adresse ou de rôle, adressez-vous à un administrateur de la plateforme.
          </p>
          <DisplayName user={user} onSaved={() => void refresh()} />
          <ChangePassword />
        </>
      )}
    </>
  );
}

export default function AccountPage() {
  return (
    <RequireScope>
      <Account />
    </RequireScope>
  );
}

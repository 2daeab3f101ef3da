import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useState } from "react";

import { api, unwrap } from "../../api/client";
import { fieldMessages } from "../../api/problem";
import { roleValues } from "../../api/schema";
import type { Role, User } from "../../api/types";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RequireScope } from "../../components/RequireScope";
import { formatDateTime } from "../../lib/format";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";
import { useSubmit } from "../../lib/useSubmit";
import { ROLE_LABELS } from "../../lib/vocabulary";

const LABELS = { email: "Adresse électronique", display_name: "Nom affiché", password: "Mot de passe provisoire", role: "Rôle" };

function CreateUser({ onCreated }: { onCreated: (user: User) => void }) {
  const [form, setForm] = useState({ email: "", display_name: "", password: "", role: "coordinator" as Role });
  const { busy, problem, run } = useSubmit();
  const errors = fieldMessages(problem);
  const field = (name: keyof typeof form) => ({
    label: LABELS[name],
    state: errors[name] ? ("error" as const) : ("default" as const),
    stateRelatedMessage: errors[name],
  });
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const user = await unwrap(api.POST("/api/auth/users", { body: form }));
      setForm({ email: "", display_name: "", password: "", role: form.role });
      onCreated(user);
    });
  };
  return (
    <form onSubmit={submit} noValidate>
      <h2 className="fr-h4">Créer un compte</h2>
      <ProblemAlert problem={problem} fieldLabels={LABELS} focus />
      <Input {...field("email")} nativeInputProps={{ type: "email", autoComplete: "off", value: form.email, onChange: (event) => setForm({ ...form, email: event.target.value }) }} />
      <Input {...field("display_name")} nativeInputProps={{ value: form.display_name, onChange: (event) => setForm({ ...form, display_name: event.target.value }) }} />
      <Input
        {...field("password")}
        hintText="12 caractères au moins ; à transmettre à la personne par un autre canal."
        nativeInputProps={{ type: "password", autoComplete: "new-password", value: form.password, onChange: (event) => setForm({ ...form, password: event.target.value }) }}
      />
      <Select {...field("role")} nativeSelectProps={{ value: form.role, onChange: (event) => setForm({ ...form, role: event.target.value as Role }) }}>
        {roleValues.map((role) => (
          <option key={role} value={role}>
            {ROLE_LABELS[role]}
          </option>
        ))}
      </Select>
      <Button type="submit" disabled={busy}>
        Créer le compte
      </Button>
    </form>
  );
}

function Users() {
  usePageTitle("Comptes");
  const users = useResource("users", (signal) => unwrap(api.GET("/api/auth/users", { signal })));
  const [created, setCreated] = useState<User>();
  return (
    <>
      <h1>Comptes</h1>
      <p>
        Rôles : un <strong>administrateur</strong> gère tout, comptes et clés compris ; un <strong>coordinateur</strong> gère
        l'annuaire, les synchronisations, l'observatoire et les questionnaires ; un <strong>médiateur</strong> fait passer les
        questionnaires.
      </p>
      {created && (
        <div role="status" className="fr-alert fr-alert--success fr-alert--sm fr-mb-3w">
          <p>Compte de {created.display_name} ({created.email}) créé.</p>
        </div>
      )}
      <ProblemAlert problem={users.problem} />
      {users.loading && !users.data && <Loading />}
      {users.data && (
        <div className="fr-table fr-table--bordered">
          <table>
            <caption>{users.data.length} comptes</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Adresse électronique</th>
                <th scope="col">Rôle</th>
                <th scope="col">État</th>
                <th scope="col">Dernière connexion</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <tr key={user.id}>
                  <td>{user.display_name}</td>
                  <td>{user.email}</td>
                  <td>{ROLE_LABELS[user.role] ?? user.role}</td>
                  <td>{user.active ? "actif" : "désactivé"}</td>
                  <td>{user.last_login_at ? formatDateTime(user.last_login_at) : "jamais"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CreateUser
        onCreated={(user) => {
          setCreated(user);
          users.reload();
        }}
      />
    </>
  );
}

export default function UsersPage() {
  return (
    <RequireScope scope="users:manage">
      <Users />
    </RequireScope>
  );
}

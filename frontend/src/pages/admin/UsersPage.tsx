import { Button } from "@codegouvfr/react-dsfr/Button";
import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useState } from "react";
import { useSearchParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { roleValues } from "../../api/schema";
import type { Role, User } from "../../api/types";
import { useAuth } from "../../auth/AuthContext";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RequireScope } from "../../components/RequireScope";
import { formatDateTime } from "../../lib/format";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";
import { ROLE_LABELS } from "../../lib/vocabulary";
import { ActivationButton, ResetLinkButton } from "./users/UserActions";
import { CreateUser, EditUser } from "./users/UserForms";
import { OneTimeLink, type Shown } from "./users/OneTimeLink";

const PAGE_SIZE = 20;
const STATE_FILTERS: Record<string, string> = { "": "Tous", true: "Actifs", false: "Désactivés" };

function passwordState(user: User): string {
  if (user.password_set) return "choisi";
  return user.password_token_expires_at
    ? `invitation en attente (jusqu'au ${formatDateTime(user.password_token_expires_at)})`
    : "à choisir (lien expiré)";
}

function Users() {
  usePageTitle("Comptes");
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const role = params.get("role") ?? "";
  const active = params.get("actif") ?? "";
  const page = Math.max(1, Number(params.get("page")) || 1);
  const users = useResource(`users?${role}&${active}&${page}`, (signal) =>
    unwrap(
      api.GET("/api/auth/users", {
        params: {
          query: {
            page,
            size: PAGE_SIZE,
            ...(role ? { role: role as Role } : {}),
            ...(active ? { active: active === "true" } : {}),
          },
        },
        signal,
      }),
    ),
  );
  const [shown, setShown] = useState<Shown>();
  const [editing, setEditing] = useState<User>();
  const pageCount = users.data ? Math.max(1, Math.ceil(users.data.total / PAGE_SIZE)) : 1;

  const filter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete("page");
    setParams(next);
  };

  return (
    <>
      <h1>Comptes</h1>
      <p>
        Rôles : un <strong>administrateur</strong> gère tout, comptes et clés compris ; un{" "}
        <strong>coordinateur</strong> gère l'annuaire, les synchronisations, l'observatoire et les
        questionnaires ; un <strong>médiateur</strong> fait passer les questionnaires. La plateforme garde
        toujours au moins un administrateur actif.
      </p>
      {shown && <OneTimeLink title={shown.title} token={shown.token} onDone={() => setShown(undefined)} />}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Select
            label="Filtrer par rôle"
            nativeSelectProps={{ value: role, onChange: (event) => filter("role", event.target.value) }}
          >
            <option value="">Tous</option>
            {roleValues.map((value) => (
              <option key={value} value={value}>
                {ROLE_LABELS[value]}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select
            label="Filtrer par état"
            nativeSelectProps={{ value: active, onChange: (event) => filter("actif", event.target.value) }}
          >
            {Object.entries(STATE_FILTERS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <ProblemAlert problem={users.problem} unavailable="La liste des comptes" onRetry={users.reload} />
      {users.loading && !users.data && <Loading />}
      {users.data && (
        <div className="fr-table fr-table--bordered">
          <table aria-busy={users.loading}>
            <caption>{users.data.total === 0 ? "Aucun compte" : `${users.data.total} compte(s)`}</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Adresse électronique</th>
                <th scope="col">Rôle</th>
                <th scope="col">État</th>
                <th scope="col">Mot de passe</th>
                <th scope="col">Dernière connexion</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((user) => (
                <tr key={user.id}>
                  <th scope="row">
                    {user.display_name}
                    {user.id === me?.subject && " (vous)"}
                  </th>
                  <td>{user.email}</td>
                  <td>{ROLE_LABELS[user.role] ?? user.role}</td>
                  <td>
                    {user.pending ? "en attente d'accès (ProConnect)" : user.active ? "actif" : "désactivé"}
                  </td>
                  <td>{passwordState(user)}</td>
                  <td>{user.last_login_at ? formatDateTime(user.last_login_at) : "jamais"}</td>
                  <td>
                    <Button
                      size="small"
                      priority="secondary"
                      onClick={() => setEditing(user)}
                      title={`Modifier le compte de ${user.display_name}`}
                    >
                      Modifier
                    </Button>{" "}
                    <ActivationButton user={user} onChanged={users.reload} />{" "}
                    {user.active && <ResetLinkButton user={user} onIssued={setShown} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pageCount > 1 && (
        <Pagination
          count={pageCount}
          defaultPage={page}
          getPageLinkProps={(number) => {
            const next = new URLSearchParams(params);
            next.set("page", String(number));
            return { to: `?${next.toString()}` };
          }}
        />
      )}
      {editing && (
        <EditUser
          key={editing.id}
          user={editing}
          onDone={(saved) => {
            setEditing(undefined);
            if (saved) users.reload();
          }}
        />
      )}
      <CreateUser
        onCreated={(created) => {
          setShown(created);
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

import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { fieldMessages } from "../../api/problem";
import { roleValues } from "../../api/schema";
import type { PasswordToken, Role, User } from "../../api/types";
import { useAuth } from "../../auth/AuthContext";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RequireScope } from "../../components/RequireScope";
import { formatDateTime } from "../../lib/format";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";
import { useSubmit } from "../../lib/useSubmit";
import { ROLE_LABELS } from "../../lib/vocabulary";

const PAGE_SIZE = 20;
const LABELS = { email: "Adresse électronique", display_name: "Nom affiché", role: "Rôle" };
const STATE_FILTERS: Record<string, string> = { "": "Tous", true: "Actifs", false: "Désactivés" };

/** The page where the link's holder chooses a password: the secret travels in the fragment, which browsers never
 * send to a server (nor to a log, nor in a Referer). */
export function passwordLink(token: string, origin: string = window.location.origin): string {
  return `${origin}/mot-de-passe#${token}`;
}

/** A one-time link, shown once: focused so that it is announced, with a copy button. */
function OneTimeLink({ title, token, onDone }: { title: string; token: PasswordToken; onDone: () => void }) {
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
                Un courriel contenant le lien a été envoyé à la personne : il lui permet de choisir son mot de passe, une seule
                fois, jusqu'au {formatDateTime(token.expires_at)}.
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
              Transmettez ce lien à la personne, de préférence par un autre canal que sa messagerie (téléphone, remise en
              main propre) : il lui permet de choisir son mot de passe, une seule fois, jusqu'au {formatDateTime(token.expires_at)}.
              Il ne sera plus affiché.
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

interface Shown {
  title: string;
  token: PasswordToken;
}

function CreateUser({ onCreated }: { onCreated: (shown: Shown) => void }) {
  const [form, setForm] = useState({ email: "", display_name: "", role: "coordinator" as Role });
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
      setForm({ email: "", display_name: "", role: form.role });
      const token = user.password_token ?? { token: null, sent_by_email: true, expires_at: user.password_token_expires_at ?? "" };
      onCreated({ title: `Compte de ${user.display_name} créé`, token });
    });
  };
  return (
    <form onSubmit={submit} noValidate className="fr-mt-4w">
      <h2 className="fr-h4">Créer un compte</h2>
      <p className="fr-text--sm">
        Vous ne choisissez pas le mot de passe : un lien à usage unique, affiché après la création, permet à la personne de
        choisir le sien.
      </p>
      <ProblemAlert problem={problem} fieldLabels={LABELS} focus />
      <Input {...field("email")} nativeInputProps={{ type: "email", autoComplete: "off", value: form.email, onChange: (event) => setForm({ ...form, email: event.target.value }) }} />
      <Input {...field("display_name")} nativeInputProps={{ autoComplete: "off", value: form.display_name, onChange: (event) => setForm({ ...form, display_name: event.target.value }) }} />
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

function EditUser({ user, onDone }: { user: User; onDone: (saved: boolean) => void }) {
  const [form, setForm] = useState({ display_name: user.display_name, role: user.role });
  const { busy, problem, run } = useSubmit();
  const errors = fieldMessages(problem);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await unwrap(api.PATCH("/api/auth/users/{user_id}", { params: { path: { user_id: user.id } }, body: form }));
      onDone(true);
    });
  };
  return (
    <form onSubmit={submit} noValidate className="fr-mt-4w">
      <h2 className="fr-h4" ref={heading} tabIndex={-1}>
        Modifier le compte de {user.display_name}
      </h2>
      <p className="fr-text--sm">{user.email}</p>
      <ProblemAlert problem={problem} fieldLabels={LABELS} focus />
      <Input
        label={LABELS.display_name}
        state={errors.display_name ? "error" : "default"}
        stateRelatedMessage={errors.display_name}
        nativeInputProps={{ value: form.display_name, onChange: (event) => setForm({ ...form, display_name: event.target.value }) }}
      />
      <Select
        label={LABELS.role}
        hint="Le changement s'applique aux sessions ouvertes de la personne dès sa prochaine action."
        state={errors.role ? "error" : "default"}
        stateRelatedMessage={errors.role}
        nativeSelectProps={{ value: form.role, onChange: (event) => setForm({ ...form, role: event.target.value as Role }) }}
      >
        {roleValues.map((role) => (
          <option key={role} value={role}>
            {ROLE_LABELS[role]}
          </option>
        ))}
      </Select>
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Button type="submit" disabled={busy}>
            Enregistrer
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={() => onDone(false)}>
            Annuler
          </Button>
        </li>
      </ul>
    </form>
  );
}

/** Deactivation and reactivation, each after a confirmation that says what will happen. */
function ActivationButton({ user, onChanged }: { user: User; onChanged: () => void }) {
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
                {user.active ? "Confirmer la désactivation" : user.pending ? "Confirmer l'accès" : "Confirmer la réactivation"}
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

function ResetLinkButton({ user, onIssued }: { user: User; onIssued: (shown: Shown) => void }) {
  const { busy, problem, run } = useSubmit();
  const issue = () =>
    void run(async () => {
      const token = await unwrap(api.POST("/api/auth/users/{user_id}/password-token", { params: { path: { user_id: user.id } } }));
      onIssued({ title: `Nouveau lien pour ${user.display_name}`, token });
    });
  return (
    <>
      {problem && <p className="fr-error-text">{problem.detail ?? problem.title}</p>}
      <Button size="small" priority="tertiary" onClick={issue} disabled={busy} title={`Nouveau lien de mot de passe pour ${user.display_name}`}>
        Lien de mot de passe
      </Button>
    </>
  );
}

function passwordState(user: User): string {
  if (user.password_set) return "choisi";
  return user.password_token_expires_at ? `invitation en attente (jusqu'au ${formatDateTime(user.password_token_expires_at)})` : "à choisir (lien expiré)";
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
        Rôles : un <strong>administrateur</strong> gère tout, comptes et clés compris ; un <strong>coordinateur</strong> gère
        l'annuaire, les synchronisations, l'observatoire et les questionnaires ; un <strong>médiateur</strong> fait passer les
        questionnaires. La plateforme garde toujours au moins un administrateur actif.
      </p>
      {shown && <OneTimeLink title={shown.title} token={shown.token} onDone={() => setShown(undefined)} />}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Select label="Filtrer par rôle" nativeSelectProps={{ value: role, onChange: (event) => filter("role", event.target.value) }}>
            <option value="">Tous</option>
            {roleValues.map((value) => (
              <option key={value} value={value}>
                {ROLE_LABELS[value]}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label="Filtrer par état" nativeSelectProps={{ value: active, onChange: (event) => filter("actif", event.target.value) }}>
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
                  <td>{user.pending ? "en attente d'accès (ProConnect)" : user.active ? "actif" : "désactivé"}</td>
                  <td>{passwordState(user)}</td>
                  <td>{user.last_login_at ? formatDateTime(user.last_login_at) : "jamais"}</td>
                  <td>
                    <Button size="small" priority="secondary" onClick={() => setEditing(user)} title={`Modifier le compte de ${user.display_name}`}>
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

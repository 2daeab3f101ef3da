import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useEffect, useRef, useState } from "react";

import { api, unwrap } from "../../../api/client";
import { fieldMessages } from "../../../api/problem";
import { roleValues } from "../../../api/schema";
import type { Role, User } from "../../../api/types";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useSubmit } from "../../../lib/useSubmit";
import { ROLE_LABELS } from "../../../lib/vocabulary";
import type { Shown } from "./OneTimeLink";

const LABELS = { email: "Adresse électronique", display_name: "Nom affiché", role: "Rôle" };

export function CreateUser({ onCreated }: { onCreated: (shown: Shown) => void }) {
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
      const token = user.password_token ?? {
        token: null,
        sent_by_email: true,
        expires_at: user.password_token_expires_at ?? "",
      };
      onCreated({ title: `Compte de ${user.display_name} créé`, token });
    });
  };
  return (
    <form onSubmit={submit} noValidate className="fr-mt-4w">
      <h2 className="fr-h4">Créer un compte</h2>
      <p className="fr-text--sm">
        Vous ne choisissez pas le mot de passe : un lien à usage unique, affiché après la création, permet à
        la personne de choisir le sien.
      </p>
      <ProblemAlert problem={problem} fieldLabels={LABELS} focus />
      <Input
        {...field("email")}
        nativeInputProps={{
          type: "email",
          autoComplete: "off",
          value: form.email,
          onChange: (event) => setForm({ ...form, email: event.target.value }),
        }}
      />
      <Input
        {...field("display_name")}
        nativeInputProps={{
          autoComplete: "off",
          value: form.display_name,
          onChange: (event) => setForm({ ...form, display_name: event.target.value }),
        }}
      />
      <Select
        {...field("role")}
        nativeSelectProps={{
          value: form.role,
          onChange: (event) => setForm({ ...form, role: event.target.value as Role }),
        }}
      >
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

export function EditUser({ user, onDone }: { user: User; onDone: (saved: boolean) => void }) {
  const [form, setForm] = useState({ display_name: user.display_name, role: user.role });
  const { busy, problem, run } = useSubmit();
  const errors = fieldMessages(problem);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await unwrap(
        api.PATCH("/api/auth/users/{user_id}", { params: { path: { user_id: user.id } }, body: form }),
      );
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
        nativeInputProps={{
          value: form.display_name,
          onChange: (event) => setForm({ ...form, display_name: event.target.value }),
        }}
      />
      <Select
        label={LABELS.role}
        hint="Le changement s'applique aux sessions ouvertes de la personne dès sa prochaine action."
        state={errors.role ? "error" : "default"}
        stateRelatedMessage={errors.role}
        nativeSelectProps={{
          value: form.role,
          onChange: (event) => setForm({ ...form, role: event.target.value as Role }),
        }}
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

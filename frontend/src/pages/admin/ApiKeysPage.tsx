import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useEffect, useRef, useState } from "react";

import { api, unwrap } from "../../api/client";
import { fieldMessages } from "../../api/problem";
import { apiKeyCreateScopesValues } from "../../api/schema";
import type { ApiKey, ApiKeyCreated, ApiKeyScope } from "../../api/types";
import { DataTable } from "../../components/DataTable";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RequireScope } from "../../components/RequireScope";
import { formatDateTime, plural } from "../../lib/format";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";
import { useSubmit } from "../../lib/useSubmit";
import { SCOPE_LABELS } from "../../lib/vocabulary";

const LABELS = { name: "Nom de la plateforme", scopes: "Droits", expires_at: "Date d'expiration" };

/** The secret, shown once: focused so that it is announced, with a copy button. */
function NewSecret({ created, onDone }: { created: ApiKeyCreated; onDone: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} tabIndex={-1} className="fr-mb-4w">
      <Alert
        severity="success"
        title={`Clé « ${created.name} » créée`}
        description={
          <>
            <p>
              Copiez-la maintenant : elle ne sera plus jamais affichée. Transmettez-la à la plateforme par un
              canal sûr.
            </p>
            <p className="fne-key-secret" data-testid="api-key-secret">
              {created.key}
            </p>
            <ul className="fr-btns-group fr-btns-group--inline-sm">
              <li>
                <Button
                  size="small"
                  priority="secondary"
                  iconId="fr-icon-clipboard-line"
                  onClick={() => void navigator.clipboard?.writeText(created.key).then(() => setCopied(true))}
                >
                  {copied ? "Copiée" : "Copier la clé"}
                </Button>
              </li>
              <li>
                <Button size="small" priority="tertiary" onClick={onDone}>
                  J'ai copié la clé
                </Button>
              </li>
            </ul>
          </>
        }
      />
    </div>
  );
}

function CreateKey({ onCreated }: { onCreated: (key: ApiKeyCreated) => void }) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>([]);
  const [expires, setExpires] = useState("");
  const { busy, problem, run } = useSubmit();
  const errors = fieldMessages(problem);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    void run(async () => {
      // A date picked in France expires at the end of that day, Paris time.
      const expires_at = expires ? new Date(`${expires}T23:59:59+01:00`).toISOString() : null;
      const created = await unwrap(api.POST("/api/auth/api-keys", { body: { name, scopes, expires_at } }));
      setName("");
      setScopes([]);
      setExpires("");
      onCreated(created);
    });
  };
  return (
    <form onSubmit={submit} noValidate>
      <h2 className="fr-h4">Créer une clé</h2>
      <ProblemAlert problem={problem} fieldLabels={LABELS} focus />
      <Input
        label={LABELS.name}
        hintText="Qui l'utilise, ex. « DORA » ou « data·inclusion »"
        state={errors.name ? "error" : "default"}
        stateRelatedMessage={errors.name}
        nativeInputProps={{ name: "name", value: name, onChange: (event) => setName(event.target.value) }}
      />
      <Checkbox
        legend={LABELS.scopes}
        hintText="Seulement ce dont la plateforme a besoin."
        state={errors.scopes ? "error" : "default"}
        stateRelatedMessage={errors.scopes}
        options={apiKeyCreateScopesValues.map((scope) => ({
          label: SCOPE_LABELS[scope] ?? scope,
          hintText: scope,
          nativeInputProps: {
            name: "scopes",
            value: scope,
            checked: scopes.includes(scope),
            onChange: () =>
              setScopes(
                scopes.includes(scope) ? scopes.filter((item) => item !== scope) : [...scopes, scope],
              ),
          },
        }))}
      />
      <Input
        label={LABELS.expires_at}
        hintText="Facultative ; la clé cesse de fonctionner à la fin de ce jour."
        state={errors.expires_at ? "error" : "default"}
        stateRelatedMessage={errors.expires_at}
        nativeInputProps={{
          type: "date",
          name: "expires_at",
          value: expires,
          onChange: (event) => setExpires(event.target.value),
        }}
      />
      <Button type="submit" disabled={busy}>
        Créer la clé
      </Button>
    </form>
  );
}

function RevokeButton({ apiKey, onRevoked }: { apiKey: ApiKey; onRevoked: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, problem, run } = useSubmit();
  if (apiKey.revoked_at) return <>révoquée le {formatDateTime(apiKey.revoked_at)}</>;
  const revoke = () =>
    void run(async () => {
      await unwrap(api.DELETE("/api/auth/api-keys/{key_id}", { params: { path: { key_id: apiKey.id } } }));
      onRevoked();
    });
  return (
    <>
      {problem && <p className="fr-error-text">{problem.title}</p>}
      {confirming ? (
        <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
          <li>
            <Button size="small" onClick={revoke} disabled={busy}>
              Confirmer la révocation de « {apiKey.name} »
            </Button>
          </li>
          <li>
            <Button size="small" priority="secondary" onClick={() => setConfirming(false)}>
              Annuler
            </Button>
          </li>
        </ul>
      ) : (
        <Button
          size="small"
          priority="secondary"
          onClick={() => setConfirming(true)}
          title={`Révoquer la clé « ${apiKey.name} »`}
        >
          Révoquer
        </Button>
      )}
    </>
  );
}

function ApiKeys() {
  usePageTitle("Clés d'API");
  const keys = useResource("api-keys", (signal) => unwrap(api.GET("/api/auth/api-keys", { signal })));
  const [created, setCreated] = useState<ApiKeyCreated>();
  return (
    <>
      <h1>Clés d'API</h1>
      <p>
        Les plateformes partenaires appellent l'API avec une clé (en-tête <code>Authorization: Bearer …</code>
        ). Chaque clé porte des droits ; une clé révoquée est refusée dès l'appel suivant.
      </p>
      {created && <NewSecret created={created} onDone={() => setCreated(undefined)} />}
      <ProblemAlert problem={keys.problem} unavailable="La liste des clés d'API" onRetry={keys.reload} />
      {keys.loading && !keys.data && <Loading />}
      {keys.data && (
        <DataTable
          caption={plural(keys.data.length, "clé", "clés")}
          empty="Aucune clé pour l'instant."
          rows={keys.data}
          rowKey={(key) => key.id}
          initialSort={{ key: "Créée le", direction: "descending" }}
          columns={[
            { label: "Nom", rowHeader: true, render: (key) => key.name, sortValue: (key) => key.name },
            {
              label: "Début de la clé",
              render: (key) => <code>fne_{key.prefix}_…</code>,
              sortValue: (key) => key.prefix,
            },
            {
              label: "Droits",
              render: (key) => key.scopes.map((scope) => SCOPE_LABELS[scope] ?? scope).join(" ; "),
            },
            {
              label: "Créée le",
              render: (key) => formatDateTime(key.created_at),
              sortValue: (key) => key.created_at,
            },
            {
              label: "Expire le",
              render: (key) => (key.expires_at ? formatDateTime(key.expires_at) : "jamais"),
              sortValue: (key) => key.expires_at,
            },
            {
              label: "Dernier usage",
              render: (key) => (key.last_used_at ? formatDateTime(key.last_used_at) : "jamais"),
              sortValue: (key) => key.last_used_at,
            },
            { label: "État", render: (key) => <RevokeButton apiKey={key} onRevoked={keys.reload} /> },
          ]}
        />
      )}
      <CreateKey
        onCreated={(key) => {
          setCreated(key);
          keys.reload();
        }}
      />
    </>
  );
}

export default function ApiKeysPage() {
  return (
    <RequireScope scope="keys:manage">
      <ApiKeys />
    </RequireScope>
  );
}

import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { SegmentedControl } from "@codegouvfr/react-dsfr/SegmentedControl";
import { useState } from "react";
import { Link } from "react-router";

import { api, unwrap } from "../../api/client";
import type { FreshnessRequest, Proposal } from "../../api/types";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RequireScope } from "../../components/RequireScope";
import { CORRECTABLE_LABELS, displayValue } from "../../lib/corrections";
import { formatDateTime } from "../../lib/format";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";
import { useSubmit } from "../../lib/useSubmit";

const ORIGINS: Record<string, string> = {
  contact: "Correction du contact du lieu",
  signalement: "Signalement public",
};
const REASONS: Record<string, string> = {
  ferme: "Lieu fermé",
  horaires: "Horaires",
  coordonnees: "Coordonnées",
  adresse: "Adresse",
  services: "Services",
  autre: "Autre",
};
const STATUSES: Record<string, string> = {
  en_attente: "À examiner",
  acceptee: "Acceptée",
  rejetee: "Rejetée",
};
const ANSWERS: Record<string, string> = { confirme: "Confirmé", corrige: "Corrigé" };

function segment(value: string, current: string, choose: (value: string) => void) {
  return {
    label: STATUSES[value],
    nativeInputProps: { checked: current === value, onChange: () => choose(value) },
  };
}

function ProposalCard({ proposal, onDecided }: { proposal: Proposal; onDecided: () => void }) {
  const { busy, problem, run } = useSubmit();
  const decide = (decision: "acceptation" | "rejet") =>
    void run(async () => {
      const params = { path: { proposal_id: proposal.id } };
      if (decision === "acceptation")
        await unwrap(
          api.POST("/api/directory/revue/propositions/{proposal_id}/acceptation", { params, body: {} }),
        );
      else
        await unwrap(api.POST("/api/directory/revue/propositions/{proposal_id}/rejet", { params, body: {} }));
      onDecided();
    });
  const fields = Object.entries(proposal.diff) as [string, [unknown, unknown]][];
  return (
    <section className="fr-mb-6w" aria-labelledby={`proposition-${proposal.id}`}>
      <h2 id={`proposition-${proposal.id}`} className="fr-h5">
        <Link to={`/lieux/${proposal.place_id}`}>{proposal.nom_lieu}</Link> ({proposal.commune})
      </h2>
      <p className="fr-mb-1w">
        <Badge as="span" severity={proposal.origin === "contact" ? "info" : "new"} small>
          {ORIGINS[proposal.origin] ?? proposal.origin}
        </Badge>{" "}
        {proposal.reason && (
          <Badge as="span" small>
            {REASONS[proposal.reason] ?? proposal.reason}
          </Badge>
        )}{" "}
        reçu le {formatDateTime(proposal.created_at)}
        {proposal.status !== "en_attente" && (
          <>
            {" "}
            — {STATUSES[proposal.status]} par {proposal.decided_by} le{" "}
            {proposal.decided_at ? formatDateTime(proposal.decided_at) : ""}
          </>
        )}
      </p>
      {proposal.message && <blockquote className="fr-mb-2w">« {proposal.message} »</blockquote>}
      <ProblemAlert problem={problem} />
      {fields.length > 0 ? (
        <div
          className="fr-table fr-table--bordered"
          // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable table: keyboard users scroll it
          tabIndex={0}
        >
          <table>
            <caption>Modifications proposées</caption>
            <thead>
              <tr>
                <th scope="col">Champ</th>
                <th scope="col">Valeur actuelle</th>
                <th scope="col">Valeur proposée</th>
              </tr>
            </thead>
            <tbody>
              {fields.map(([field, [before, after]]) => (
                <tr key={field}>
                  <th scope="row">{CORRECTABLE_LABELS[field] ?? field}</th>
                  <td>
                    <del>{displayValue(before)}</del>
                  </td>
                  <td>
                    <ins>{displayValue(after)}</ins>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="fr-text--sm">
          Aucune valeur proposée : lisez le message, puis modifiez le lieu vous-même si besoin.
        </p>
      )}
      {proposal.status === "en_attente" && (
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Button onClick={() => decide("acceptation")} disabled={busy}>
              {fields.length ? "Accepter et publier" : "Marquer comme traité"}
            </Button>
          </li>
          <li>
            <Button priority="secondary" onClick={() => decide("rejet")} disabled={busy}>
              Rejeter
            </Button>
          </li>
        </ul>
      )}
    </section>
  );
}

function RequestsTable({ items }: { items: FreshnessRequest[] }) {
  if (items.length === 0) return <p>Aucune demande envoyée pour l'instant.</p>;
  return (
    <div
      className="fr-table fr-table--bordered"
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable table: keyboard users scroll it
      tabIndex={0}
    >
      <table>
        <caption>Demandes de mise à jour envoyées (les plus récentes d'abord)</caption>
        <thead>
          <tr>
            <th scope="col">Lieu</th>
            <th scope="col">Destinataire</th>
            <th scope="col">Envoyée</th>
            <th scope="col">Ouverte</th>
            <th scope="col">Réponse</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td>
                <Link to={`/lieux/${item.place_id}`}>{item.nom_lieu}</Link> ({item.commune})
              </td>
              <td>
                {item.email}
                {item.unsubscribed_at && " (désinscrit)"}
              </td>
              <td>{formatDateTime(item.sent_at)}</td>
              <td>{item.opened_at ? formatDateTime(item.opened_at) : "Non"}</td>
              <td>
                {item.answer
                  ? `${ANSWERS[item.answer] ?? item.answer} le ${formatDateTime(item.answered_at ?? "")}`
                  : "Pas encore"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Proposals() {
  usePageTitle("Corrections et signalements");
  const [status, setStatus] = useState("en_attente");
  const proposals = useResource(`proposals:${status}`, (signal) =>
    unwrap(
      api.GET("/api/directory/revue/propositions", {
        params: { query: { statut: status, size: 50 } },
        signal,
      }),
    ),
  );
  const requests = useResource("freshness-requests", (signal) =>
    unwrap(api.GET("/api/directory/fraicheur/demandes", { params: { query: { size: 50 } }, signal })),
  );
  const sending = useSubmit();
  const [queued, setQueued] = useState<number>();
  return (
    <>
      <h1>Corrections et signalements</h1>
      <p>
        Les corrections envoyées par les contacts des lieux (lien « Vos informations sont-elles à jour ? ») et
        les erreurs signalées par le public. Accepter publie les valeurs proposées comme votre propre
        modification et date la fiche d'aujourd'hui.
      </p>
      <SegmentedControl
        legend="Propositions à afficher"
        segments={[
          segment("en_attente", status, setStatus),
          segment("acceptee", status, setStatus),
          segment("rejetee", status, setStatus),
        ]}
      />
      <div className="fr-mt-3w">
        <ProblemAlert
          problem={proposals.problem}
          unavailable="La liste des propositions de correction"
          onRetry={proposals.reload}
        />
        {!proposals.data ? (
          <Loading />
        ) : proposals.data.items.length === 0 ? (
          <p>Aucune proposition dans cette liste.</p>
        ) : (
          <>
            <p aria-live="polite">{proposals.data.total} proposition(s).</p>
            {proposals.data.items.map((proposal) => (
              <ProposalCard key={proposal.id} proposal={proposal} onDecided={proposals.reload} />
            ))}
          </>
        )}
      </div>
      <h2 className="fr-mt-6w">Demandes de mise à jour</h2>
      <p>
        Chaque jour, le contact de chaque lieu non mis à jour depuis six mois reçoit un lien pour confirmer ou
        corriger sa fiche, sans compte. « Ouverte » : le lien a été suivi.
      </p>
      <ProblemAlert
        problem={sending.problem ?? requests.problem}
        unavailable={sending.problem ? undefined : "La liste des demandes de mise à jour"}
        onRetry={sending.problem ? undefined : requests.reload}
      />
      <Button
        priority="secondary"
        className="fr-mb-3w"
        disabled={sending.busy}
        onClick={() =>
          void sending.run(async () => {
            const answer = await unwrap(api.POST("/api/directory/fraicheur/envois"));
            setQueued(answer.envoyes);
            requests.reload();
          })
        }
      >
        Envoyer les demandes dues maintenant
      </Button>
      {queued !== undefined && <p aria-live="polite">{queued} demande(s) mise(s) en file d'envoi.</p>}
      {requests.data ? <RequestsTable items={requests.data.items} /> : <Loading />}
    </>
  );
}

export default function ProposalsPage() {
  return (
    <RequireScope scope="directory:write">
      <Proposals />
    </RequireScope>
  );
}

import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useEffect, useState } from "react";

import { api, unwrap } from "../../api/client";
import type { Place } from "../../api/types";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import {
  CORRECTABLE_LABELS,
  LIST_FIELDS,
  TEXT_FIELDS,
  displayValue,
  initialText,
  modifications,
} from "../../lib/corrections";
import { formatDate } from "../../lib/format";
import { usePageTitle } from "../../lib/usePageTitle";
import { useSubmit } from "../../lib/useSubmit";

const UNSUBSCRIBE = "desinscription-";

/** The secret of the link, read from the address's fragment (never sent to a server or a log), then hidden. */
function linkSecret(): string {
  const hash = window.location.hash.slice(1);
  if (hash) window.history.replaceState(null, "", window.location.pathname);
  return hash;
}

type Done = "confirme" | "corrige" | "desinscrit";
const DONE_MESSAGES: Record<Done, string> = {
  confirme: "Merci ! La fiche est confirmée et datée d'aujourd'hui.",
  corrige:
    "Merci ! Vos corrections ont été transmises à l'équipe de coordination, qui les publiera après vérification.",
  desinscrit: "C'est noté : cette adresse ne recevra plus de messages de mise à jour pour ce lieu.",
};

export default function FreshnessPage() {
  usePageTitle("Mettre à jour les informations d'un lieu");
  const [secret] = useState(linkSecret);
  const unsubscribing = secret.startsWith(UNSUBSCRIBE);
  const token = unsubscribing ? secret.slice(UNSUBSCRIBE.length) : secret;
  const [place, setPlace] = useState<Place>();
  const [expires, setExpires] = useState<string>();
  const [editing, setEditing] = useState(false);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [comment, setComment] = useState("");
  const [done, setDone] = useState<Done>();
  const load = useSubmit();
  const action = useSubmit();

  useEffect(() => {
    if (!token || unsubscribing) return;
    void load.run(async () => {
      const answer = await unwrap(api.POST("/api/directory/fraicheur/lecture", { body: { jeton: token } }));
      setPlace(answer.lieu);
      setExpires(answer.expire_le);
      setTyped(
        Object.fromEntries(
          TEXT_FIELDS.map((field) => [field, initialText(answer.lieu[field as keyof Place])]),
        ),
      );
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token, unsubscribing]);

  if (!token) {
    return (
      <>
        <h1>Mettre à jour les informations d'un lieu</h1>
        <Alert
          severity="error"
          title="Lien incomplet"
          description="Ouvrez le lien reçu par courriel en entier, sans le modifier. Rien n'a été modifié."
        />
      </>
    );
  }
  if (done) {
    return (
      <>
        <h1>Mettre à jour les informations d'un lieu</h1>
        <Alert severity="success" title="C'est enregistré" description={DONE_MESSAGES[done]} />
      </>
    );
  }
  if (unsubscribing) {
    return (
      <>
        <h1>Ne plus recevoir ces messages</h1>
        <ProblemAlert problem={action.problem} focus />
        <p>Cette adresse ne recevra plus les demandes de mise à jour de ce lieu.</p>
        <Button
          disabled={action.busy}
          onClick={() =>
            void action.run(async () => {
              await unwrap(api.POST("/api/directory/fraicheur/desinscription", { body: { jeton: token } }));
              setDone("desinscrit");
            })
          }
        >
          Confirmer la désinscription
        </Button>
      </>
    );
  }
  if (load.problem) {
    return (
      <>
        <h1>Mettre à jour les informations d'un lieu</h1>
        <ProblemAlert problem={load.problem} />
      </>
    );
  }
  if (!place) return <Loading />;

  const confirm = () =>
    void action.run(async () => {
      await unwrap(api.POST("/api/directory/fraicheur/confirmation", { body: { jeton: token } }));
      setDone("confirme");
    });
  const sendCorrection = (event: React.FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await unwrap(
        api.POST("/api/directory/fraicheur/correction", {
          body: {
            jeton: token,
            modifications: modifications(typed, place as unknown as Record<string, unknown>),
            commentaire: comment || null,
          },
        }),
      );
      setDone("corrige");
    });
  };

  return (
    <>
      <h1>Vos informations sont-elles à jour ?</h1>
      <p className="fr-text--lead">
        {place.nom}, {place.commune}
      </p>
      <p>
        Dernière mise à jour : {formatDate(place.date_maj)}. Ce lien est valable jusqu'au{" "}
        {expires ? formatDate(expires) : "—"} et ne sert qu'une fois.
      </p>
      <ProblemAlert
        problem={action.problem}
        fieldLabels={{ ...CORRECTABLE_LABELS, commentaire: "Commentaire" }}
        focus
      />
      <dl className="fne-freshness-record">
        {TEXT_FIELDS.map((field) => (
          <div key={field} className="fr-mb-1w">
            <dt className="fr-text--bold">{CORRECTABLE_LABELS[field]}</dt>
            <dd>{displayValue(place[field as keyof Place])}</dd>
          </div>
        ))}
      </dl>
      {!editing ? (
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Button iconId="fr-icon-check-line" onClick={confirm} disabled={action.busy}>
              Tout est juste
            </Button>
          </li>
          <li>
            <Button priority="secondary" iconId="fr-icon-edit-line" onClick={() => setEditing(true)}>
              Corriger
            </Button>
          </li>
        </ul>
      ) : (
        <form onSubmit={sendCorrection}>
          <h2 className="fr-h4">Corriger la fiche</h2>
          <p className="fr-text--sm">
            Modifiez ce qui a changé ; l'équipe de coordination vérifie avant publication. Listes : une valeur
            par ligne.
          </p>
          {TEXT_FIELDS.map((field) =>
            LIST_FIELDS.has(field) || field === "presentation_resume" ? (
              <Input
                key={field}
                label={CORRECTABLE_LABELS[field]}
                hintText={LIST_FIELDS.has(field) ? "Une valeur par ligne" : undefined}
                textArea
                nativeTextAreaProps={{
                  name: field,
                  value: typed[field] ?? "",
                  onChange: (event) => setTyped({ ...typed, [field]: event.target.value }),
                }}
              />
            ) : (
              <Input
                key={field}
                label={CORRECTABLE_LABELS[field]}
                hintText={
                  field === "horaires"
                    ? "Au format OpenStreetMap, par exemple « Mo-Fr 09:00-12:00; Sa 10:00-12:00 »"
                    : undefined
                }
                nativeInputProps={{
                  name: field,
                  value: typed[field] ?? "",
                  onChange: (event) => setTyped({ ...typed, [field]: event.target.value }),
                }}
              />
            ),
          )}
          <Input
            label="Commentaire (facultatif)"
            textArea
            nativeTextAreaProps={{
              maxLength: 2000,
              value: comment,
              onChange: (event) => setComment(event.target.value),
            }}
          />
          <ul className="fr-btns-group fr-btns-group--inline-md">
            <li>
              <Button type="submit" disabled={action.busy}>
                Envoyer mes corrections
              </Button>
            </li>
            <li>
              <Button type="button" priority="secondary" onClick={() => setEditing(false)}>
                Annuler
              </Button>
            </li>
          </ul>
        </form>
      )}
    </>
  );
}

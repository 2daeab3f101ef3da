import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useId, useState } from "react";

import { api, unwrap } from "../../api/client";
import type { Place, ReportReason } from "../../api/types";
import { ProblemAlert } from "../../components/ProblemAlert";
import { CORRECTABLE_LABELS, modifications } from "../../lib/corrections";
import { useSubmit } from "../../lib/useSubmit";

const REASONS: Record<ReportReason, string> = {
  ferme: "Le lieu a fermé ou n'existe plus",
  horaires: "Les horaires sont faux",
  coordonnees: "Le téléphone, l'adresse électronique ou le site sont faux",
  adresse: "L'adresse est fausse",
  services: "Les services proposés ont changé",
  autre: "Autre chose",
};
const FIELD_OF_REASON: Partial<Record<ReportReason, string>> = {
  horaires: "horaires",
  coordonnees: "telephone",
  adresse: "adresse",
};

/** "Signaler une erreur": no account, no personal data; the coordinators review the report. */
export function ReportErrorForm({ place }: { place: Place }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<ReportReason | "">("");
  const [message, setMessage] = useState("");
  const [value, setValue] = useState("");
  const [sent, setSent] = useState(false);
  const { busy, problem, run } = useSubmit();
  const formId = useId();
  const field = reason ? FIELD_OF_REASON[reason] : undefined;

  if (sent) {
    return (
      <Alert
        severity="success"
        small
        className="fr-mt-2w"
        description="Merci ! Votre signalement a été transmis à l'équipe de coordination, qui vérifiera avant de corriger la fiche."
      />
    );
  }
  if (!open) {
    return (
      <Button
        priority="tertiary"
        iconId="fr-icon-flag-line"
        onClick={() => setOpen(true)}
        aria-controls={formId}
        aria-expanded={false}
      >
        Signaler une erreur
      </Button>
    );
  }
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const changes =
        field && value.trim()
          ? modifications({ [field]: value }, place as unknown as Record<string, unknown>)
          : {};
      await unwrap(
        api.POST("/api/directory/lieux/{place_id}/signalements", {
          params: { path: { place_id: place.id } },
          body: { motif: reason as ReportReason, message, modifications: changes },
        }),
      );
      setSent(true);
    });
  };
  return (
    <form id={formId} onSubmit={submit} className="fr-mt-2w" aria-labelledby={`${formId}-title`}>
      <h3 id={`${formId}-title`} className="fr-h6">
        Signaler une erreur sur cette fiche
      </h3>
      <p className="fr-text--sm">
        Aucun compte ni donnée personnelle n'est demandé. L'équipe de coordination vérifie chaque signalement.
      </p>
      <ProblemAlert
        problem={problem}
        fieldLabels={{
          motif: "Ce qui ne va pas",
          message: "Précisions",
          modifications: "Bonne valeur",
          ...CORRECTABLE_LABELS,
        }}
        focus
      />
      <Select
        label="Ce qui ne va pas"
        nativeSelectProps={{
          required: true,
          value: reason,
          onChange: (event) => setReason(event.target.value as ReportReason),
        }}
      >
        <option value="" disabled>
          Choisissez
        </option>
        {Object.entries(REASONS).map(([key, label]) => (
          <option key={key} value={key}>
            {label}
          </option>
        ))}
      </Select>
      {field && (
        <Input
          label={`${CORRECTABLE_LABELS[field]} exact${field === "horaires" ? "s" : ""} (facultatif)`}
          hintText={
            field === "horaires"
              ? "Au format OpenStreetMap, par exemple « Mo-Fr 09:00-12:00 » ; sinon décrivez-les ci-dessous."
              : undefined
          }
          nativeInputProps={{ value, onChange: (event) => setValue(event.target.value) }}
        />
      )}
      <Input
        label="Précisions"
        hintText="Ce qui est faux et, si vous le savez, ce qui est juste (5 caractères au moins)."
        textArea
        nativeTextAreaProps={{
          required: true,
          minLength: 5,
          maxLength: 2000,
          value: message,
          onChange: (event) => setMessage(event.target.value),
        }}
      />
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Button type="submit" disabled={busy}>
            Envoyer le signalement
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={() => setOpen(false)}>
            Annuler
          </Button>
        </li>
      </ul>
    </form>
  );
}

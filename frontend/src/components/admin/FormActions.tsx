import { Button } from "@codegouvfr/react-dsfr/Button";

/** `<option>`s for a DSFR Select from a vocabulary's labels (code → word). */
export function optionsOf(labels: Record<string, string>) {
  return Object.entries(labels).map(([value, label]) => (
    <option key={value} value={value}>
      {label}
    </option>
  ));
}

/** A form's buttons: submit (disabled while it runs) and, when editing, « Annuler ». */
export function FormActions({
  busy,
  label,
  onCancel,
}: {
  busy: boolean;
  label: string;
  onCancel?: () => void;
}) {
  return (
    <ul className="fr-btns-group fr-btns-group--inline-md">
      <li>
        <Button type="submit" disabled={busy}>
          {label}
        </Button>
      </li>
      {onCancel && (
        <li>
          <Button type="button" priority="secondary" onClick={onCancel}>
            Annuler
          </Button>
        </li>
      )}
    </ul>
  );
}

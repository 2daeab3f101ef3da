/** A polite, announced loading state (screen readers hear it, sighted users see it). */
export function Loading({ label = "Chargement…" }: { label?: string }) {
  return (
    <p role="status" aria-live="polite" className="fr-text--sm fr-my-2w">
      <span className="fr-icon-refresh-line fr-icon--sm fr-mr-1w" aria-hidden="true" />
      {label}
    </p>
  );
}

/**
 * Optimistic concurrency with the network service: its records come with a `version`, and their ETag is
 * `"<id>.<version>"` (services' `fne_kernel.versions`). A change or deletion sends it back in If-Match, so
 * that it never overwrites what someone else saved since it was read: the API then answers 412, and the
 * screen offers « Recharger » (ProblemAlert's `onReload`).
 */
export function ifMatch(record: { id: string; version: number }): { "if-match": string } {
  return { "if-match": `"${record.id}.${record.version}"` };
}

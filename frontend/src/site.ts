/**
 * Who publishes this instance: shown on the legal pages. A département or EPCI that deploys the platform edits
 * these lines (they are facts about the operator, not settings of the software).
 */
export const SITE = {
  publisher: "Département de la Savoie",
  publisherAddress: "Hôtel du Département, Château des ducs de Savoie, CS 31802, 73018 Chambéry Cedex",
  publicationDirector: "Le président du Conseil départemental de la Savoie",
  contactEmail: "inclusion-numerique@savoie.fr",
  dataProtectionContact: "dpo@savoie.fr",
  host: "Hébergement du Département de la Savoie, en France",
  accessibilityAuditDate: null as string | null,
};

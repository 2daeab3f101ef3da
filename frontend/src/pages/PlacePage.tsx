import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { lazy, Suspense, useCallback } from "react";
import { useLocation, useParams } from "react-router";

import { api, unwrap } from "../api/client";
import type { Place } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { Loading } from "../components/Loading";
import { OpeningState } from "../components/OpeningState";
import { ProblemAlert } from "../components/ProblemAlert";
import { ShareActions } from "../components/ShareActions";
import { WeekHours } from "../components/WeekHours";
import { formatDate, formatMoment, formatPhone } from "../lib/format";
import { usePageTitle } from "../lib/usePageTitle";
import { useResource } from "../lib/useResource";
import { FRESHNESS_LABELS } from "../lib/vocabulary";
import { ReportErrorForm } from "./freshness/ReportErrorForm";

const PlacesMap = lazy(() => import("../components/PlacesMap"));

function TermList({ title, values }: { title: string; values: string[] }) {
  if (values.length === 0) return null;
  return (
    <>
      <h3 className="fr-h6 fr-mb-1w">{title}</h3>
      <ul className="fr-mb-3w">
        {values.map((value) => (
          <li key={value}>{value}</li>
        ))}
      </ul>
    </>
  );
}

export function directionsUrl(place: Pick<Place, "latitude" | "longitude">): string {
  return `https://www.openstreetmap.org/directions?route=%3B${place.latitude}%2C${place.longitude}`;
}

export default function PlacePage() {
  const { id = "" } = useParams();
  const { can } = useAuth();
  const justSaved = Boolean((useLocation().state as { saved?: boolean } | null)?.saved);
  const place = useResource(`place:${id}`, (signal) =>
    unwrap(api.GET("/api/directory/lieux/{place_id}", { params: { path: { place_id: id } }, signal })),
  );
  const data = place.data;
  const missing = place.problem?.status === 404;
  usePageTitle(data?.nom ?? (missing ? "Lieu introuvable" : "Fiche d'un lieu"));
  const placeHref = useCallback((placeId: string) => `/lieux/${placeId}`, []);

  if (place.problem) {
    // Only a 404 says the place does not exist; an outage or a lost connection says nothing about the place.
    return missing ? (
      <>
        <h1>Lieu introuvable</h1>
        <p>Ce lieu n'existe pas ou plus dans l'annuaire. Il a peut-être fermé ou changé d'adresse.</p>
        <Button linkProps={{ to: "/" }} iconId="fr-icon-search-line">
          Chercher un autre lieu
        </Button>
      </>
    ) : (
      <>
        <h1>Fiche d'un lieu</h1>
        <ProblemAlert problem={place.problem} unavailable="L'affichage des lieux" onRetry={place.reload} />
      </>
    );
  }
  if (!data) return <Loading />;

  const withdrawn = data.status !== "active";
  return (
    <>
      <Breadcrumb
        currentPageLabel={data.nom}
        segments={[{ label: "Trouver un lieu", linkProps: { to: "/" } }]}
      />
      {justSaved && (
        <Alert severity="success" small className="fr-mb-3w" description="Modifications enregistrées." />
      )}
      <h1>{data.nom}</h1>
      {withdrawn && (
        <p>
          <Badge severity="error">Retiré de l'annuaire</Badge>
        </p>
      )}
      <p className="fr-text--lead fr-mb-1w">
        <OpeningState hours={data.hours} />
      </p>
      {data.presentation_resume && <p>{data.presentation_resume}</p>}
      <ShareActions
        title={data.nom}
        text={`${data.nom}, ${data.adresse}, ${data.code_postal} ${data.commune}`}
      />

      {can("directory:write") && (
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
          <li>
            <Button
              priority="secondary"
              iconId="fr-icon-edit-line"
              linkProps={{ to: `/lieux/${data.id}/modifier` }}
            >
              Modifier ce lieu
            </Button>
          </li>
        </ul>
      )}

      <div className="fr-grid-row fr-grid-row--gutters">
        {/* Contact first: on a phone, calling or finding the way is what a person came for. */}
        <div className="fr-col-12 fr-col-md-5">
          <section aria-labelledby="contact" className="fr-p-3w fr-background-alt--grey fr-mb-3w">
            <h2 id="contact" className="fr-h4">
              Adresse et contact
            </h2>
            <address className="fr-mb-2w" style={{ fontStyle: "normal" }}>
              {data.adresse}
              {data.complement_adresse && (
                <>
                  <br />
                  {data.complement_adresse}
                </>
              )}
              <br />
              {data.code_postal} {data.commune}
            </address>
            <TermList title="Comment y accéder" values={data.modalites_acces} />
            <ul className="fr-links-group">
              {data.telephone && (
                <li>
                  <a className="fr-link fr-icon-phone-line fr-link--icon-left" href={`tel:${data.telephone}`}>
                    {formatPhone(data.telephone)}
                  </a>
                </li>
              )}
              {data.courriels.map((email) => (
                <li key={email}>
                  <a className="fr-link fr-icon-mail-line fr-link--icon-left" href={`mailto:${email}`}>
                    {email}
                  </a>
                </li>
              ))}
              {data.site_web.map((url) => (
                <li key={url}>
                  <a
                    className="fr-link fne-print-url"
                    href={url}
                    target="_blank"
                    rel="noopener noreferrer"
                    title={`${url} (nouvelle fenêtre)`}
                  >
                    Site web
                  </a>
                </li>
              ))}
              <li>
                <a
                  className="fr-link"
                  href={directionsUrl(data)}
                  target="_blank"
                  rel="noopener noreferrer"
                  title="Itinéraire vers ce lieu sur OpenStreetMap (nouvelle fenêtre)"
                >
                  Itinéraire
                </a>
              </li>
              {data.fiche_acces_libre && (
                <li>
                  <a
                    className="fr-link"
                    href={data.fiche_acces_libre}
                    target="_blank"
                    rel="noopener noreferrer"
                    title="Accessibilité du lieu sur Acceslibre (nouvelle fenêtre)"
                  >
                    Accessibilité du lieu (Acceslibre)
                  </a>
                </li>
              )}
            </ul>
            {data.prise_rdv && (
              <Button
                linkProps={{
                  href: data.prise_rdv,
                  target: "_blank",
                  rel: "noopener noreferrer",
                  title: "Prendre rendez-vous (nouvelle fenêtre)",
                }}
              >
                Prendre rendez-vous
              </Button>
            )}
          </section>
          <div className="fne-no-print">
            <Suspense fallback={<Loading label="Chargement de la carte…" />}>
              <PlacesMap
                small
                places={[data]}
                placeHref={placeHref}
                label={`Carte : emplacement de ${data.nom}, ${data.adresse}, ${data.commune}`}
              />
            </Suspense>
          </div>
        </div>
        <div className="fr-col-12 fr-col-md-7">
          <section aria-labelledby="horaires">
            <h2 id="horaires" className="fr-h4">
              Horaires
            </h2>
            {data.horaires ? (
              <WeekHours horaires={data.horaires} />
            ) : (
              <p>Horaires non renseignés : appelez avant de vous déplacer.</p>
            )}
            {!data.hours.open_now && data.hours.next_opening && (
              <p>Prochaine ouverture : {formatMoment(data.hours.next_opening)}.</p>
            )}
          </section>

          {data.permanences && data.permanences.length > 0 && (
            <section aria-labelledby="permanences" className="fr-mb-3w">
              <h2 id="permanences" className="fr-h4">
                Permanences
              </h2>
              <ul className="fr-mb-1w">
                {data.permanences.map((permanence) => (
                  <li key={permanence.id}>
                    {/* "9 h–12 h" stays on one line: a no-break space between a number and its "h". */}
                    {permanence.texte.replace(/(\d) h/g, "$1\u00a0h")}
                    {!permanence.texte.startsWith(permanence.libelle) && <> : {permanence.libelle}</>}
                    {permanence.creneaux.some((slot) => slot.precision_lieu) && (
                      <>
                        {" "}
                        (
                        {permanence.creneaux
                          .map((slot) => slot.precision_lieu)
                          .filter(Boolean)
                          .join(", ")}
                        )
                      </>
                    )}
                  </li>
                ))}
              </ul>
              <p className="fr-text--sm">
                Heures locales. Une permanence « en tournée » se tient aussi dans d'autres communes.
              </p>
            </section>
          )}

          <section aria-labelledby="offre">
            <h2 id="offre" className="fr-h4">
              Ce que l'on y trouve
            </h2>
            <TermList title="Services" values={data.services} />
            <TermList
              title="Publics accueillis en particulier"
              values={data.publics_specifiquement_adresses}
            />
            <TermList title="Accompagnements adaptés" values={data.prise_en_charge_specifique} />
            <TermList title="Façons d'être aidé" values={data.modalites_accompagnement} />
            <TermList title="Tarif" values={data.frais_a_charge} />
            <TermList title="Dispositifs nationaux" values={data.dispositif_programmes_nationaux} />
            <TermList
              title="Formations et labels"
              values={[...data.formations_labels, ...data.autres_formations_labels]}
            />
            {data.presentation_detail && (
              <>
                <h3 className="fr-h6 fr-mb-1w">Présentation</h3>
                <p style={{ whiteSpace: "pre-line" }}>{data.presentation_detail}</p>
              </>
            )}
          </section>
        </div>
      </div>

      <section aria-labelledby="sources" className="fr-mt-4w">
        <h2 id="sources" className="fr-h4">
          Sources et mise à jour
        </h2>
        <p>
          Informations fournies par {data.source ?? "le réseau FNE Savoie"}, mises à jour le{" "}
          {formatDate(data.date_maj)} ({FRESHNESS_LABELS[data.quality.freshness]}).
        </p>
        {!withdrawn && <ReportErrorForm place={data} />}
      </section>
    </>
  );
}

import { formatDate } from "../../lib/format";
import { PublisherPage } from "./PublisherPage";

export default function AccessibilityPage() {
  return (
    <PublisherPage title="Déclaration d'accessibilité">
      {(site) => (
        <>
          <p>
            {site.editeur} s'engage à rendre ses services numériques accessibles, conformément à l'article 47
            de la loi n° 2005-102 du 11 février 2005. Cette déclaration s'applique à la plateforme FNE Savoie
            (annuaire des lieux de médiation numérique, observatoire, questionnaires).
          </p>
          <h2>État de conformité</h2>
          <p>
            <strong>
              La plateforme FNE Savoie est{" "}
              {site.audit_accessibilite_le ? "partiellement conforme" : "non conforme"} avec le référentiel
              général d'amélioration de l'accessibilité (RGAA), version 4.1.2
            </strong>
            {site.audit_accessibilite_le
              ? `, d'après l'audit du ${formatDate(site.audit_accessibilite_le)}.`
              : " : aucun audit de conformité n'a encore été réalisé, ce que la loi impose de déclarer ainsi."}
          </p>
          <h2>Ce qui est fait à chaque version</h2>
          <ul>
            <li>Système de design de l'État (DSFR), dont les composants sont conçus pour le RGAA ;</li>
            <li>
              tests automatiques (axe-core) de chaque écran : aucune erreur grave ou critique n'est acceptée ;
            </li>
            <li>parcours principaux testés au clavier seul ;</li>
            <li>chaque carte a son équivalent en liste, chaque graphique son équivalent en tableau ;</li>
            <li>messages d'erreur des formulaires reliés aux champs et annoncés.</li>
          </ul>
          <h2>Contenus non accessibles connus</h2>
          <ul>
            <li>
              Les cartes interactives restent difficiles à parcourir avec un lecteur d'écran : utilisez
              l'affichage en liste, qui donne les mêmes lieux.
            </li>
          </ul>
          <h2>Retour d'information et contact</h2>
          <p>
            Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à{" "}
            <a href={`mailto:${site.courriel_contact}`}>{site.courriel_contact}</a> : nous vous indiquerons
            une autre façon d'y accéder ou vous transmettrons l'information sous une autre forme.
          </p>
          <h2>Voies de recours</h2>
          <p>
            Si vous avez signalé un défaut d'accessibilité sans obtenir de réponse satisfaisante, vous pouvez
            écrire au Défenseur des droits (
            <a href="https://formulaire.defenseurdesdroits.fr/">formulaire en ligne</a>), contacter son
            délégué dans votre région ou lui écrire gratuitement, sans affranchissement : Défenseur des
            droits, Libre réponse 71120, 75342 Paris CEDEX 07.
          </p>
        </>
      )}
    </PublisherPage>
  );
}

import { PublisherPage } from "./PublisherPage";

export default function LegalNoticePage() {
  return (
    <PublisherPage title="Mentions légales">
      {(site) => (
        <>
          <h2>Éditeur</h2>
          <p>
            {site.editeur}
            <br />
            {site.editeur_adresse}
            <br />
            Contact : <a href={`mailto:${site.courriel_contact}`}>{site.courriel_contact}</a>
          </p>
          <h2>Directeur de la publication</h2>
          <p>{site.directeur_publication}</p>
          <h2>Hébergement</h2>
          <p>{site.hebergeur}</p>
          <h2>Logiciel</h2>
          <p>
            La plateforme est un logiciel libre (licence EUPL 1.2), réutilisable par tout département ou
            intercommunalité. Elle utilise le Système de design de l'État (DSFR).
          </p>
          <h2>Données publiées</h2>
          <p>
            Les lieux de l'annuaire sont publiés en données ouvertes selon le standard national des lieux de
            médiation numérique, sous Licence Ouverte 2.0 (Etalab) : vous pouvez les réutiliser en citant leur
            source. Les informations de chaque lieu viennent des structures elles-mêmes, des plateformes
            partenaires (DORA, Mednum73) ou du réseau FNE Savoie ; leur source et leur date de mise à jour
            figurent sur la page du lieu.
          </p>
          <h2>Liens vers ce site</h2>
          <p>
            Tout site public ou privé peut faire un lien vers cette plateforme ou intégrer l'annuaire de son
            territoire (voir « Intégrer l'annuaire »), sans autorisation préalable.
          </p>
        </>
      )}
    </PublisherPage>
  );
}

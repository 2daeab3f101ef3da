import { PublisherPage } from "./PublisherPage";

export default function PersonalDataPage() {
  return (
    <PublisherPage title="Données personnelles">
      {(site) => (
        <>
          <p>
            Responsable des traitements : {site.publisher}. Cette plateforme ne collecte que ce qui est nécessaire à ses
            missions de service public (article 6.1.e du RGPD) et ne contient aucun traceur publicitaire ni outil de mesure
            d'audience tiers.
          </p>
          <h2>Consulter l'annuaire</h2>
          <p>
            Chercher un lieu ne demande aucun compte. Si vous utilisez « Autour de moi », votre position est lue par votre navigateur,
            avec votre accord, et envoyée seulement pour trier les lieux : elle n'est pas conservée.
          </p>
          <h2>Comptes des professionnels</h2>
          <p>
            Pour les coordinateurs, médiateurs et administrateurs : adresse électronique, nom affiché, rôle, état du compte, date de
            dernière connexion, et qui a créé ou modifié le compte et quand. Les mots de passe sont choisis par chaque personne et
            conservés sous forme d'empreinte, jamais en clair. Ces données sont conservées tant que le compte existe.
          </p>
          <h2>Questionnaires d'autonomie numérique</h2>
          <p>
            Les personnes accompagnées sont désignées par un code, jamais par leur nom. Leur consentement est recueilli avant toute
            réponse ; elles peuvent demander l'effacement de leurs réponses à tout moment, auprès du médiateur ou du contact
            ci-dessous. Seuls des résultats agrégés, sur des groupes assez grands pour qu'aucune personne ne soit reconnaissable,
            sortent du service.
          </p>
          <h2>Cookies</h2>
          <p>
            Deux cookies, déposés seulement à la connexion d'un professionnel et strictement nécessaires : <code>fne_session</code>{" "}
            (la session) et <code>fne_csrf</code> (protection contre la falsification de requêtes). Ils n'exigent pas de consentement
            et disparaissent à la déconnexion ou après 12 heures.
          </p>
          <h2>Vos droits</h2>
          <p>
            Vous disposez d'un droit d'accès, de rectification, d'effacement, de limitation et d'opposition. Écrivez au délégué à la
            protection des données : <a href={`mailto:${site.data_protection_contact}`}>{site.data_protection_contact}</a>. Vous pouvez
            aussi adresser une réclamation à la CNIL (<a href="https://www.cnil.fr/fr/plaintes">www.cnil.fr/fr/plaintes</a>).
          </p>
        </>
      )}
    </PublisherPage>
  );
}

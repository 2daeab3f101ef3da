import { PublisherPage } from "./PublisherPage";

export default function PersonalDataPage() {
  return (
    <PublisherPage title="Données personnelles">
      {(site) => (
        <>
          <p>
            Responsable des traitements : {site.editeur}. Cette plateforme ne collecte que ce qui est
            nécessaire à ses missions de service public (article 6.1.e du RGPD) et ne contient aucun traceur
            publicitaire ni outil de mesure d'audience tiers.
          </p>
          <h2>Consulter l'annuaire</h2>
          <p>
            Chercher un lieu ne demande aucun compte. Si vous utilisez « Autour de moi », votre position est
            lue par votre navigateur, avec votre accord, et envoyée seulement pour trier les lieux : elle
            n'est pas conservée.
          </p>
          <h2>Comptes des professionnels</h2>
          <p>
            Pour les coordinateurs, médiateurs et administrateurs : adresse électronique, nom affiché, rôle,
            état du compte, date de dernière connexion, et qui a créé ou modifié le compte et quand. Les mots
            de passe sont choisis par chaque personne et conservés sous forme d'empreinte, jamais en clair.
            Ces données sont conservées tant que le compte existe.
          </p>
          <h2>Connexion avec ProConnect</h2>
          <p>
            Un professionnel qui se connecte avec ProConnect nous transmet, par ProConnect, son adresse
            électronique, son prénom, son nom, le SIRET de son organisation et un identifiant propre à ce
            service. L'adresse sert à retrouver son compte ; à la première connexion, un compte en attente est
            créé, qu'un administrateur active ou non. Ces données suivent le compte.
          </p>
          <h2>Courriels envoyés par la plateforme</h2>
          <ul>
            <li>
              Aux professionnels : l'invitation à choisir son mot de passe et le lien de nouveau mot de passe,
              envoyés par un administrateur.
            </li>
            <li>
              Au contact public d'un lieu (l'adresse publiée dans l'annuaire) : au plus une fois tous les
              trois mois, quand la fiche n'a pas été mise à jour depuis six mois, « Vos informations
              sont-elles à jour ? » avec un lien personnel, valable 30 jours et utilisable une fois, pour
              confirmer ou corriger la fiche sans compte. Nous gardons la date d'envoi, d'ouverture du lien et
              de réponse, visibles par l'équipe de coordination. Un lien dans chaque message arrête ces
              envois.
            </li>
            <li>
              À une personne qui suit une recherche : un message de confirmation, puis au plus un message par
              semaine listant les lieux nouveaux ou modifiés. Nous gardons l'adresse et la recherche jusqu'à
              la désinscription, en un clic depuis chaque message.
            </li>
          </ul>
          <p>
            Les courriels passent par le serveur d'envoi de l'hébergeur ; leur contenu est conservé dans la
            file d'envoi de la plateforme pour pouvoir réessayer en cas d'échec.
          </p>
          <h2>Signaler une erreur</h2>
          <p>
            Le formulaire « Signaler une erreur » d'une fiche ne demande aucun compte ni aucune donnée
            personnelle : seuls le motif, le message et la correction proposée sont conservés, pour l'équipe
            de coordination qui les examine. N'y écrivez pas de données personnelles.
          </p>
          <h2>Questionnaires d'autonomie numérique</h2>
          <p>
            Les personnes accompagnées sont désignées par un code, jamais par leur nom. Leur consentement est
            recueilli avant toute réponse ; elles peuvent demander l'effacement de leurs réponses à tout
            moment, auprès du médiateur ou du contact ci-dessous. Seuls des résultats agrégés, sur des groupes
            assez grands pour qu'aucune personne ne soit reconnaissable, sortent du service.
          </p>
          <h2>Cookies</h2>
          <p>
            Deux cookies, déposés seulement à la connexion d'un professionnel et strictement nécessaires :{" "}
            <code>fne_session</code> (la session) et <code>fne_csrf</code> (protection contre la falsification
            de requêtes). Ils n'exigent pas de consentement et disparaissent à la déconnexion ou après 12
            heures. Pendant une connexion avec ProConnect, un troisième cookie, <code>fne_proconnect</code>,
            relie le retour de ProConnect à votre navigateur ; il disparaît au retour ou après 10 minutes.
          </p>
          <h2>Vos droits</h2>
          <p>
            Vous disposez d'un droit d'accès, de rectification, d'effacement, de limitation et d'opposition.
            Écrivez au délégué à la protection des données :{" "}
            <a href={`mailto:${site.contact_donnees_personnelles}`}>{site.contact_donnees_personnelles}</a>.
            Vous pouvez aussi adresser une réclamation à la CNIL (
            <a href="https://www.cnil.fr/fr/plaintes">www.cnil.fr/fr/plaintes</a>).
          </p>
        </>
      )}
    </PublisherPage>
  );
}

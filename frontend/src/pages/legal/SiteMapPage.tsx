import { Link } from "react-router";

import { useAuth } from "../../auth/AuthContext";
import { usePageTitle } from "../../lib/usePageTitle";

export default function SiteMapPage() {
  usePageTitle("Plan du site");
  const { me, can } = useAuth();
  return (
    <>
      <h1>Plan du site</h1>
      <ul>
        <li>
          <Link to="/">Trouver un lieu d'aide au numérique</Link>
        </li>
        <li>
          <Link to="/agenda">Agenda : cafés numériques, ateliers, événements</Link>
        </li>
        <li>
          <Link to="/observatoire">Observatoire : les indicateurs</Link>
        </li>
        <li>
          <Link to="/observatoire/feuille-de-route">Feuille de route France Numérique Ensemble</Link>
        </li>
        <li>
          <Link to="/observatoire/comites">Comités de suivi et leurs rapports</Link>
        </li>
        <li>
          <Link to="/integrer">Intégrer l'annuaire sur votre site</Link>
        </li>
        <li>
          <Link to="/connexion">Connexion des professionnels</Link>
        </li>
        {(can("surveys:write") || can("surveys:read")) && (
          <li>
            Questionnaires
            <ul>
              {can("surveys:write") && (
                <li>
                  <Link to="/enquetes">Séance d'évaluation des compétences numériques</Link>
                </li>
              )}
              {can("surveys:read") && (
                <li>
                  <Link to="/enquetes/campagnes">Résultats des campagnes</Link>
                </li>
              )}
            </ul>
          </li>
        )}
        {me && (
          <li>
            <Link to="/administration">Administration</Link>
            <ul>
              {can("directory:write") && (
                <li>
                  <Link to="/administration/lieux/nouveau">Ajouter un lieu</Link>
                </li>
              )}
              {can("sync:run") && (
                <li>
                  <Link to="/administration/synchronisation">Synchronisation de l'annuaire</Link>
                </li>
              )}
              {can("directory:write") && (
                <li>
                  <Link to="/administration/synchronisation/revue">Doublons à examiner</Link>
                </li>
              )}
              {can("observatory:write") && (
                <li>
                  <Link to="/administration/observatoire">Données de l'observatoire</Link>
                </li>
              )}
              {can("users:manage") && (
                <li>
                  <Link to="/administration/comptes">Comptes</Link>
                </li>
              )}
              {can("keys:manage") && (
                <li>
                  <Link to="/administration/cles-api">Clés d'API</Link>
                </li>
              )}
            </ul>
          </li>
        )}
        {me && (
          <li>
            <Link to="/mon-compte">Mon compte</Link>
          </li>
        )}
        <li>
          <a href="/api/docs">Documentation de l'API</a>
        </li>
        <li>
          <Link to="/accessibilite">Déclaration d'accessibilité</Link>
        </li>
        <li>
          <Link to="/mentions-legales">Mentions légales</Link>
        </li>
        <li>
          <Link to="/donnees-personnelles">Données personnelles</Link>
        </li>
      </ul>
    </>
  );
}

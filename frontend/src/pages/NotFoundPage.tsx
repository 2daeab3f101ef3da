import { Link } from "react-router";

import { usePageTitle } from "../lib/usePageTitle";

export default function NotFoundPage() {
  usePageTitle("Page non trouvée");
  return (
    <>
      <h1>Page non trouvée</h1>
      <p className="fr-text--lead">
        La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.
      </p>
      <p>
        Si vous avez tapé l'adresse web dans le navigateur, vérifiez qu'elle est correcte. La page n'est
        peut-être plus disponible.
      </p>
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Link className="fr-btn" to="/">
            Trouver un lieu
          </Link>
        </li>
        <li>
          <Link className="fr-btn fr-btn--secondary" to="/plan-du-site">
            Plan du site
          </Link>
        </li>
      </ul>
    </>
  );
}

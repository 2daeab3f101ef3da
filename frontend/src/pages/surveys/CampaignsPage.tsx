import { Link } from "react-router";

import { api, unwrap } from "../../api/client";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RequireScope } from "../../components/RequireScope";
import { formatDate } from "../../lib/format";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";

const MODE_LABELS = {
  mediator: "Avec un médiateur",
  public: "Lien public",
  both: "Médiateur et lien public",
} as const;

function Campaigns() {
  const found = useResource("campaigns", (signal) =>
    unwrap(api.GET("/api/surveys/campagnes", { params: { query: { size: 100 } }, signal })),
  );
  if (found.problem)
    return (
      <ProblemAlert
        problem={found.problem}
        unavailable="Le service des questionnaires"
        onRetry={found.reload}
      />
    );
  if (!found.data) return <Loading />;
  if (found.data.items.length === 0) return <p>Aucune campagne pour l'instant.</p>;
  return (
    <div className="fr-table">
      <table>
        <caption>Campagnes, les plus récentes d'abord</caption>
        <thead>
          <tr>
            <th scope="col">Campagne</th>
            <th scope="col">Structure</th>
            <th scope="col">Mode</th>
            <th scope="col">Ouverte le</th>
            <th scope="col">Clôture</th>
            <th scope="col">Lien public</th>
          </tr>
        </thead>
        <tbody>
          {found.data.items.map((campaign) => (
            <tr key={campaign.id}>
              <th scope="row">
                <Link to={`/enquetes/campagnes/${campaign.id}/resultats`}>{campaign.nom}</Link>
              </th>
              <td>{campaign.structure ?? "—"}</td>
              <td>{MODE_LABELS[campaign.mode]}</td>
              <td>{formatDate(campaign.debut)}</td>
              <td>{campaign.fin ? formatDate(campaign.fin) : "—"}</td>
              <td>
                {campaign.jeton_public ? (
                  <Link to={`/enquete/${campaign.jeton_public}`}>Ouvrir le lien</Link>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Coordinators' list of campaigns, each leading to its results. */
export default function CampaignsPage() {
  usePageTitle("Campagnes de questionnaires");
  return (
    <RequireScope scope="surveys:read">
      <h1>Campagnes de questionnaires</h1>
      <Campaigns />
    </RequireScope>
  );
}

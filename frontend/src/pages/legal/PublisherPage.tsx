import type { ReactNode } from "react";

import { api, unwrap } from "../../api/client";
import type { SiteInfo } from "../../api/types";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";

/**
 * A legal page that names the publisher of this instance. The details come from the gateway's settings
 * (GATEWAY_SITE_*, see the README): one build serves whichever département or EPCI deploys it.
 */
export function PublisherPage({
  title,
  children,
}: {
  title: string;
  children: (site: SiteInfo) => ReactNode;
}) {
  usePageTitle(title);
  const site = useResource("site", (signal) => unwrap(api.GET("/api/site", { signal })));
  return (
    <>
      <h1>{title}</h1>
      <ProblemAlert
        problem={site.problem}
        unavailable="La lecture des informations de l'éditeur"
        onRetry={site.reload}
      />
      {site.loading && !site.data && <Loading />}
      {site.data && children(site.data)}
    </>
  );
}

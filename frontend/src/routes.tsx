import { createBrowserRouter, type RouteObject } from "react-router";

import { Layout } from "./components/Layout";
import { RouteError } from "./pages/RouteError";
import SearchPage from "./pages/SearchPage";

/** A screen loaded on first visit only: the first page load carries the search screen and nothing else. */
function screen(load: () => Promise<{ default: React.ComponentType }>): Pick<RouteObject, "lazy"> {
  return { lazy: () => load().then((module) => ({ Component: module.default })) };
}

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <SearchPage /> },
      { path: "lieux/:id", ...screen(() => import("./pages/PlacePage")) },
      { path: "lieux/mise-a-jour", ...screen(() => import("./pages/freshness/FreshnessPage")) },
      { path: "recherches/confirmation", ...screen(() => import("./pages/freshness/SavedSearchLinkPage")) },
      { path: "recherches/desinscription", ...screen(() => import("./pages/freshness/SavedSearchLinkPage")) },
      { path: "lieux/:id/modifier", ...screen(() => import("./pages/admin/PlaceEditPage")) },
      { path: "observatoire", ...screen(() => import("./pages/observatory/IndicatorsPage")) },
      {
        path: "observatoire/indicateurs/:code",
        ...screen(() => import("./pages/observatory/IndicatorPage")),
      },
      { path: "observatoire/feuille-de-route", ...screen(() => import("./pages/observatory/RoadmapPage")) },
      {
        path: "observatoire/territoires/:niveau/:code",
        ...screen(() => import("./pages/observatory/TerritoryPage")),
      },
      { path: "observatoire/comites", ...screen(() => import("./pages/observatory/CommitteesPage")) },
      {
        path: "observatoire/comites/:id",
        ...screen(() => import("./pages/observatory/CommitteeReportPage")),
      },
      { path: "agenda", ...screen(() => import("./pages/network/AgendaPage")) },
      { path: "agenda/:id", ...screen(() => import("./pages/network/EventPage")) },
      { path: "enquetes", ...screen(() => import("./pages/surveys/SessionStartPage")) },
      { path: "enquetes/reponses/:id", ...screen(() => import("./pages/surveys/ResponsePage")) },
      { path: "enquetes/reponses/:id/toile", ...screen(() => import("./pages/surveys/RadarPage")) },
      { path: "enquetes/campagnes", ...screen(() => import("./pages/surveys/CampaignsPage")) },
      {
        path: "enquetes/campagnes/:id/resultats",
        ...screen(() => import("./pages/surveys/CampaignResultsPage")),
      },
      { path: "enquete/:token", ...screen(() => import("./pages/surveys/PublicSurveyPage")) },
      { path: "connexion", ...screen(() => import("./pages/LoginPage")) },
      { path: "mon-compte", ...screen(() => import("./pages/account/AccountPage")) },
      { path: "mot-de-passe", ...screen(() => import("./pages/account/SetPasswordPage")) },
      { path: "integrer", ...screen(() => import("./pages/EmbedPage")) },
      { path: "administration", ...screen(() => import("./pages/admin/AdminHome")) },
      { path: "administration/lieux/nouveau", ...screen(() => import("./pages/admin/PlaceEditPage")) },
      { path: "administration/propositions", ...screen(() => import("./pages/admin/ProposalsPage")) },
      { path: "administration/comptes", ...screen(() => import("./pages/admin/UsersPage")) },
      { path: "administration/cles-api", ...screen(() => import("./pages/admin/ApiKeysPage")) },
      {
        path: "administration/observatoire",
        ...screen(() => import("./pages/admin/observatory/ImportsPage")),
      },
      {
        path: "administration/observatoire/imports/:id",
        ...screen(() => import("./pages/admin/observatory/ImportPage")),
      },
      {
        path: "administration/feuille-de-route",
        ...screen(() => import("./pages/admin/roadmap/RoadmapAdminPage")),
      },
      {
        path: "administration/feuille-de-route/objectifs/:numero",
        ...screen(() => import("./pages/admin/roadmap/ObjectiveAdminPage")),
      },
      {
        path: "administration/comites",
        ...screen(() => import("./pages/admin/roadmap/CommitteesAdminPage")),
      },
      {
        path: "administration/comites/:id",
        ...screen(() => import("./pages/admin/roadmap/CommitteeFollowUpPage")),
      },
      {
        path: "administration/observatoire/calculs",
        ...screen(() => import("./pages/admin/observatory/CalculationsPage")),
      },
      {
        path: "administration/observatoire/indicateurs",
        ...screen(() => import("./pages/admin/observatory/CatalogPage")),
      },
      {
        path: "administration/questionnaires",
        ...screen(() => import("./pages/admin/surveys/QuestionnairesPage")),
      },
      {
        path: "administration/questionnaires/:id",
        ...screen(() => import("./pages/admin/surveys/QuestionnairePage")),
      },
      {
        path: "administration/campagnes",
        ...screen(() => import("./pages/admin/surveys/CampaignsAdminPage")),
      },
      {
        path: "administration/campagnes/:id",
        ...screen(() => import("./pages/admin/surveys/CampaignAdminPage")),
      },
      {
        path: "administration/donnees-personnelles",
        ...screen(() => import("./pages/admin/surveys/PrivacyPage")),
      },
      {
        path: "administration/reseau/personnes",
        ...screen(() => import("./pages/admin/network/PeopleAdminPage")),
      },
      {
        path: "administration/reseau/formations",
        ...screen(() => import("./pages/admin/network/TrainingsAdminPage")),
      },
      {
        path: "administration/reseau/formations/:id",
        ...screen(() => import("./pages/admin/network/TrainingAdminPage")),
      },
      {
        path: "administration/reseau/evenements",
        ...screen(() => import("./pages/admin/network/EventsAdminPage")),
      },
      {
        path: "administration/reseau/evenements/:id",
        ...screen(() => import("./pages/admin/network/EventAdminPage")),
      },
      {
        path: "administration/permanences",
        ...screen(() => import("./pages/admin/places/PermanencesAdminPage")),
      },
      { path: "administration/lieux/:id", ...screen(() => import("./pages/admin/places/PlaceAdminPage")) },
      { path: "administration/synchronisation", ...screen(() => import("./pages/admin/sync/SyncPage")) },
      {
        path: "administration/synchronisation/revue",
        ...screen(() => import("./pages/admin/sync/ReviewPage")),
      },
      {
        path: "administration/synchronisation/quarantaine",
        ...screen(() => import("./pages/admin/sync/QuarantinePage")),
      },
      {
        path: "administration/synchronisation/rapprochement",
        ...screen(() => import("./pages/admin/sync/ReconciliationPage")),
      },
      { path: "accessibilite", ...screen(() => import("./pages/legal/AccessibilityPage")) },
      { path: "mentions-legales", ...screen(() => import("./pages/legal/LegalNoticePage")) },
      { path: "donnees-personnelles", ...screen(() => import("./pages/legal/PersonalDataPage")) },
      { path: "plan-du-site", ...screen(() => import("./pages/legal/SiteMapPage")) },
      { path: "*", ...screen(() => import("./pages/NotFoundPage")) },
    ],
  },
  // Embedded in other sites' pages (iframe): no header, no footer.
  { path: "widget", errorElement: <RouteError />, ...screen(() => import("./pages/WidgetPage")) },
];

export const router = createBrowserRouter(routes);

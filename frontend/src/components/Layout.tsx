import { Footer } from "@codegouvfr/react-dsfr/Footer";
import { Header, type HeaderProps } from "@codegouvfr/react-dsfr/Header";
import { SkipLinks } from "@codegouvfr/react-dsfr/SkipLinks";
import { Suspense, useEffect, useRef } from "react";
import { Outlet, useLocation, useNavigate } from "react-router";

import { useAuth } from "../auth/AuthContext";
import { useScrollableTablesFocusable } from "../lib/scrollableTables";
import { Loading } from "./Loading";

/** The header's id: the main navigation inside it is `${HEADER_ID}-main-navigation` (the "Menu" skip link). */
const HEADER_ID = "en-tete";

export const BRAND_TOP = (
  <>
    République
    <br />
    Française
  </>
);

function useFocusMainOnNavigation() {
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // A new screen: screen-reader and keyboard users start at its content, as after a full page load.
    main.current?.focus();
  }, [location.pathname]);
  return main;
}

export function Layout() {
  const { me, logout, can } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const main = useFocusMainOnNavigation();
  useScrollableTablesFocusable(main);

  const quickAccess: HeaderProps.QuickAccessItem[] = me
    ? [
        { iconId: "fr-icon-settings-5-line", text: "Administration", linkProps: { to: "/administration" } },
        { iconId: "fr-icon-user-line", text: "Mon compte", linkProps: { to: "/mon-compte" } },
        {
          iconId: "fr-icon-logout-box-r-line",
          text: `Se déconnecter (${me.name})`,
          buttonProps: {
            onClick: () => {
              void logout().then(() => navigate("/"));
            },
          },
        },
      ]
    : [{ iconId: "fr-icon-account-circle-line", text: "Se connecter", linkProps: { to: "/connexion" } }];

  const isCurrent = (prefix: string) =>
    prefix === "/"
      ? location.pathname === "/" || location.pathname.startsWith("/lieux")
      : location.pathname.startsWith(prefix);

  const navigation = [
    { text: "Trouver un lieu", linkProps: { to: "/" }, isActive: isCurrent("/") },
    { text: "Agenda", linkProps: { to: "/agenda" }, isActive: isCurrent("/agenda") },
    { text: "Observatoire", linkProps: { to: "/observatoire" }, isActive: isCurrent("/observatoire") },
    { text: "Intégrer l'annuaire", linkProps: { to: "/integrer" }, isActive: isCurrent("/integrer") },
    ...(can("surveys:write") || can("surveys:read")
      ? [
          {
            text: "Questionnaires",
            isActive: isCurrent("/enquetes"),
            menuLinks: [
              ...(can("surveys:write")
                ? [{ text: "Séance d'évaluation", linkProps: { to: "/enquetes" } }]
                : []),
              ...(can("surveys:read")
                ? [{ text: "Résultats des campagnes", linkProps: { to: "/enquetes/campagnes" } }]
                : []),
            ],
          },
        ]
      : []),
    ...(me
      ? [
          {
            text: "Administration",
            linkProps: { to: "/administration" },
            isActive: isCurrent("/administration"),
          },
        ]
      : []),
  ];

  return (
    <>
      <SkipLinks
        links={[
          { label: "Contenu", anchor: "#contenu" },
          // The search screen's results come after its form: one link takes a keyboard user straight there.
          ...(location.pathname === "/"
            ? [{ label: "Aller aux résultats", anchor: "#resultats-titre" }]
            : []),
          { label: "Menu", anchor: `#${HEADER_ID}-main-navigation` },
          { label: "Pied de page", anchor: "#footer" },
        ]}
      />
      <Header
        id={HEADER_ID}
        brandTop={BRAND_TOP}
        homeLinkProps={{ to: "/", title: "Accueil — FNE Savoie" }}
        serviceTitle="FNE Savoie"
        serviceTagline="Inclusion numérique en Savoie : trouver de l'aide, suivre la feuille de route"
        quickAccessItems={quickAccess}
        navigation={navigation}
        // The display settings' modal: no footer button opens it (the system's light or dark mode is followed),
        // and its three pictures are SVG documents each phone would load and lay out for nothing.
        disableDisplay
      />
      <main id="contenu" ref={main} tabIndex={-1} className="fne-main">
        <div className="fr-container fr-py-4w">
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </div>
      </main>
      <Footer
        id="footer"
        accessibility="non compliant"
        accessibilityLinkProps={{ to: "/accessibilite" }}
        termsLinkProps={{ to: "/mentions-legales" }}
        websiteMapLinkProps={{ to: "/plan-du-site" }}
        contentDescription="Plateforme de la feuille de route France Numérique Ensemble de la Savoie (2024-2027) : annuaire des lieux de médiation numérique, observatoire et questionnaires d'autonomie numérique. Logiciel libre."
        bottomItems={[
          { text: "Données personnelles", linkProps: { to: "/donnees-personnelles" } },
          { text: "Documentation de l'API", linkProps: { href: "/api/docs" } },
          { text: "Données ouvertes", linkProps: { href: "/api/directory/exports/lieux.csv" } },
        ]}
      />
    </>
  );
}

import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { useState } from "react";

import { usePageTitle } from "../lib/usePageTitle";

/** For communes and EPCIs: the snippet that shows their territory's places on their own site. */
export default function EmbedPage() {
  usePageTitle("Intégrer l'annuaire sur votre site");
  const [kind, setKind] = useState<"commune" | "epci">("commune");
  const [code, setCode] = useState("73065");
  const [title, setTitle] = useState("Où se faire aider pour le numérique ?");
  const [withMap, setWithMap] = useState(false);
  const origin = window.location.origin;
  const attributes = [
    `data-${kind}="${code}"`,
    `data-titre="${title.replace(/"/g, "&quot;")}"`,
    ...(withMap ? ['data-carte="oui"'] : []),
  ];
  const snippet = `<script src="${origin}/widget.js" ${attributes.join(" ")} async></script>`;
  const query = new URLSearchParams({
    [kind === "commune" ? "code_insee" : "epci"]: code,
    titre: title,
    ...(withMap ? { carte: "oui" } : {}),
  });
  const iframe = `<iframe src="${origin}/widget?${query.toString()}" title="${title.replace(/"/g, "&quot;")}" style="width:100%;height:600px;border:0" loading="lazy"></iframe>`;

  return (
    <>
      <h1>Intégrer l'annuaire sur votre site</h1>
      <p className="fr-text--lead">
        Communes et intercommunalités : affichez sur votre site les lieux d'aide au numérique de votre
        territoire, toujours à jour, en copiant une ligne de code.
      </p>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-5">
          <RadioButtons
            legend="Territoire"
            orientation="horizontal"
            options={[
              {
                label: "Une commune",
                nativeInputProps: { checked: kind === "commune", onChange: () => setKind("commune") },
              },
              {
                label: "Une intercommunalité",
                nativeInputProps: { checked: kind === "epci", onChange: () => setKind("epci") },
              },
            ]}
          />
          <Input
            label={kind === "commune" ? "Code INSEE de la commune" : "SIREN de l'intercommunalité"}
            hintText={
              kind === "commune"
                ? "Ex. 73065 pour Chambéry ; plusieurs codes séparés par des virgules"
                : "9 chiffres, ex. 200069110"
            }
            nativeInputProps={{
              value: code,
              inputMode: "numeric",
              onChange: (event) => setCode(event.target.value.replace(/[^0-9AB,]/gi, "")),
            }}
          />
          <Input
            label="Titre affiché"
            nativeInputProps={{ value: title, onChange: (event) => setTitle(event.target.value) }}
          />
          <RadioButtons
            legend="Carte"
            orientation="horizontal"
            options={[
              {
                label: "Liste seule",
                nativeInputProps: { checked: !withMap, onChange: () => setWithMap(false) },
              },
              {
                label: "Liste et carte",
                nativeInputProps: { checked: withMap, onChange: () => setWithMap(true) },
              },
            ]}
          />
        </div>
        <div className="fr-col-12 fr-col-md-7">
          <h2 className="fr-h5">Code à copier (recommandé)</h2>
          <Input
            label="Balise script : la hauteur s'adapte au contenu"
            textArea
            nativeTextAreaProps={{ readOnly: true, value: snippet, rows: 3 }}
          />
          <h2 className="fr-h5">Ou, si votre site n'accepte pas les scripts</h2>
          <Input
            label="Balise iframe : hauteur fixe"
            textArea
            nativeTextAreaProps={{ readOnly: true, value: iframe, rows: 3 }}
          />
        </div>
      </div>
      <h2 className="fr-h4 fr-mt-4w">Aperçu</h2>
      <iframe
        src={`/widget?${query.toString()}`}
        title={`Aperçu : ${title}`}
        style={{ width: "100%", height: "32rem", border: "1px solid var(--border-default-grey)" }}
      />
    </>
  );
}

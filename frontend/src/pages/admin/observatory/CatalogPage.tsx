/**
 * The indicator catalogue: what the observatory measures, how and where. A coordinator adds an indicator
 * (its values then come from imports or computations) or corrects a definition.
 */
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type FormEvent, useRef, useState } from "react";
import { Link } from "react-router";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { DataTable } from "../../../components/DataTable";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { RequireScope } from "../../../components/RequireScope";
import { fieldStates, numberText, typedNumber } from "../../../lib/adminForms";
import { LEVEL_LABELS } from "../../../lib/indicators";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useSubmit } from "../../../lib/useSubmit";

type Indicator = components["schemas"]["ObservatoryIndicatorOut"];
type Level = components["schemas"]["ObservatoryLevel"];

export const UNITS: Record<string, string> = {
  nombre: "Nombre",
  pourcentage: "Pourcentage",
  pour_10000_habitants: "Pour 10 000 habitants",
  score: "Score",
  minutes: "Minutes",
};
export const PERIODICITIES: Record<string, string> = {
  annuelle: "Annuelle",
  trimestrielle: "Trimestrielle",
  mensuelle: "Mensuelle",
  ponctuelle: "Ponctuelle",
};
export const POLARITIES: Record<string, string> = {
  hausse_favorable: "Une hausse est favorable",
  baisse_favorable: "Une baisse est favorable",
  neutre: "Neutre",
};
export const AGGREGATIONS: Record<string, string> = {
  somme: "Somme (des effectifs)",
  ratio: "Ratio (somme des numérateurs sur somme des dénominateurs)",
  moyenne_ponderee: "Moyenne pondérée (par la population)",
  non_agregeable: "Non agrégeable (publié là où il est observé)",
};
const PRODUCERS: Record<string, string> = {
  import: "Fichiers importés",
  annuaire: "Calcul (annuaire)",
  enquetes: "Calcul (questionnaires)",
};
const LEVELS: Level[] = ["commune", "epci", "groupement", "departement", "region", "pays"];

export const LABELS = {
  code: "Identifiant",
  libelle: "Libellé",
  description: "Description",
  theme: "Thème",
  unite: "Unité",
  echelle: "Échelle d'un ratio",
  decimales: "Décimales affichées",
  source: "Source",
  methode: "Méthode",
  niveaux: "Niveaux publiés",
  periodicite: "Périodicité",
  polarite: "Sens favorable",
  agregation: "Calcul aux niveaux supérieurs",
  minimum: "Valeur minimale admise",
  maximum: "Valeur maximale admise",
  seuil_secret: "Seuil du secret statistique",
  objectifs: "Objectifs de la feuille de route servis",
};

interface Draft {
  code: string;
  libelle: string;
  description: string;
  theme: string;
  unite: string;
  echelle: string;
  decimales: string;
  source: string;
  methode: string;
  niveaux: Level[];
  periodicite: string;
  polarite: string;
  agregation: string;
  minimum: string;
  maximum: string;
  seuil_secret: string;
  objectifs: string;
}

const EMPTY: Draft = {
  code: "",
  libelle: "",
  description: "",
  theme: "",
  unite: "nombre",
  echelle: "1",
  decimales: "1",
  source: "",
  methode: "",
  niveaux: ["commune", "epci", "departement"],
  periodicite: "annuelle",
  polarite: "neutre",
  agregation: "somme",
  minimum: "",
  maximum: "",
  seuil_secret: "",
  objectifs: "",
};

function draftOf(indicator: Indicator): Draft {
  return {
    code: indicator.code,
    libelle: indicator.libelle,
    description: indicator.description ?? "",
    theme: indicator.theme,
    unite: indicator.unite,
    echelle: numberText(indicator.echelle),
    decimales: String(indicator.decimales ?? 1),
    source: indicator.source,
    methode: indicator.methode ?? "",
    niveaux: indicator.niveaux,
    periodicite: indicator.periodicite,
    polarite: indicator.polarite,
    agregation: indicator.agregation,
    minimum: numberText(indicator.minimum),
    maximum: numberText(indicator.maximum),
    seuil_secret: indicator.seuil_secret == null ? "" : String(indicator.seuil_secret),
    objectifs: (indicator.objectifs ?? []).join(", "),
  };
}

/** « 1, 7 12 » → [1, 7, 12]; what is not a number is sent as typed, for the API to name. */
export function objectiveNumbers(text: string): number[] {
  return text
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : (part as unknown as number)));
}

function IndicatorForm({
  editing,
  onSaved,
  onCancel,
}: {
  editing?: Indicator;
  onSaved: (indicator: Indicator) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState<Draft>(editing ? draftOf(editing) : EMPTY);
  const { busy, problem, run } = useSubmit();
  const state = fieldStates(problem);
  const text = (name: keyof Draft) => ({
    value: form[name] as string,
    onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const body = {
        libelle: form.libelle,
        description: form.description,
        theme: form.theme,
        unite: form.unite as Indicator["unite"],
        echelle: typedNumber(form.echelle) ?? 1,
        decimales: typedNumber(form.decimales) ?? 1,
        source: form.source,
        methode: form.methode,
        niveaux: form.niveaux,
        periodicite: form.periodicite as Indicator["periodicite"],
        polarite: form.polarite as Indicator["polarite"],
        agregation: form.agregation as Indicator["agregation"],
        minimum: typedNumber(form.minimum),
        maximum: typedNumber(form.maximum),
        seuil_secret: typedNumber(form.seuil_secret),
        objectifs: objectiveNumbers(form.objectifs),
      };
      const saved = editing
        ? await unwrap(
            api.PUT("/api/observatory/indicateurs/{code}", {
              params: { path: { code: editing.code } },
              body,
            }),
          )
        : await unwrap(api.POST("/api/observatory/indicateurs", { body: { ...body, code: form.code } }));
      onSaved(saved);
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="indicateur-form-titre">
      <h2 id="indicateur-form-titre">
        {editing ? `Modifier : ${editing.libelle}` : "Ajouter un indicateur"}
      </h2>
      <ProblemAlert problem={problem} fieldLabels={LABELS} focus />
      {!editing && (
        <Input
          label={LABELS.code}
          hintText="Minuscules, chiffres et _ (ex. lieux_bibliotheques) : il ne change plus ensuite"
          {...state("code")}
          nativeInputProps={text("code")}
        />
      )}
      <Input label={LABELS.libelle} {...state("libelle")} nativeInputProps={text("libelle")} />
      <Input
        label={LABELS.description}
        textArea
        {...state("description")}
        nativeTextAreaProps={{ rows: 3, ...text("description") }}
      />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={LABELS.theme}
            hintText="ex. offre, fragilité, usages"
            {...state("theme")}
            nativeInputProps={text("theme")}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input label={LABELS.source} {...state("source")} nativeInputProps={text("source")} />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label={LABELS.unite} {...state("unite")} nativeSelectProps={text("unite")}>
            {Object.entries(UNITS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={LABELS.echelle}
            hintText="100 pour un pourcentage calculé"
            {...state("echelle")}
            nativeInputProps={{ inputMode: "decimal", ...text("echelle") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={LABELS.decimales}
            {...state("decimales")}
            nativeInputProps={{ inputMode: "numeric", ...text("decimales") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select
            label={LABELS.periodicite}
            {...state("periodicite")}
            nativeSelectProps={text("periodicite")}
          >
            {Object.entries(PERIODICITIES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label={LABELS.polarite} {...state("polarite")} nativeSelectProps={text("polarite")}>
            {Object.entries(POLARITIES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label={LABELS.agregation} {...state("agregation")} nativeSelectProps={text("agregation")}>
            {Object.entries(AGGREGATIONS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <Checkbox
        legend={LABELS.niveaux}
        orientation="horizontal"
        {...state("niveaux")}
        options={LEVELS.map((level) => ({
          label: LEVEL_LABELS[level] ?? level,
          nativeInputProps: {
            checked: form.niveaux.includes(level),
            onChange: (event) =>
              setForm({
                ...form,
                niveaux: event.target.checked
                  ? [...form.niveaux, level]
                  : form.niveaux.filter((item) => item !== level),
              }),
          },
        }))}
      />
      <Input
        label={LABELS.methode}
        textArea
        {...state("methode")}
        nativeTextAreaProps={{ rows: 3, ...text("methode") }}
      />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-3">
          <Input
            label={LABELS.minimum}
            hintText="Facultative"
            {...state("minimum")}
            nativeInputProps={{ inputMode: "decimal", ...text("minimum") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-3">
          <Input
            label={LABELS.maximum}
            hintText="Facultative"
            {...state("maximum")}
            nativeInputProps={{ inputMode: "decimal", ...text("maximum") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-3">
          <Input
            label={LABELS.seuil_secret}
            hintText="Effectif en dessous duquel une valeur n'est pas publiée"
            {...state("seuil_secret")}
            nativeInputProps={{ inputMode: "numeric", ...text("seuil_secret") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-3">
          <Input
            label={LABELS.objectifs}
            hintText="Numéros de 1 à 21, ex. 1, 7"
            {...state("objectifs")}
            nativeInputProps={text("objectifs")}
          />
        </div>
      </div>
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Button type="submit" disabled={busy}>
            {editing ? "Enregistrer la définition" : "Ajouter l'indicateur"}
          </Button>
        </li>
        {editing && (
          <li>
            <Button type="button" priority="secondary" onClick={onCancel}>
              Annuler
            </Button>
          </li>
        )}
      </ul>
    </form>
  );
}

function Catalog() {
  const [generation, setGeneration] = useState(0);
  const [editing, setEditing] = useState<Indicator>();
  const [saved, setSaved] = useState<Indicator>();
  const formRef = useRef<HTMLDivElement>(null);
  const catalog = useResource(`admin-catalog:${generation}`, (signal) =>
    unwrap(api.GET("/api/observatory/indicateurs", { params: { query: { size: 200 } }, signal })),
  );
  return (
    <>
      <div role="status">
        {saved && (
          <p className="fr-message fr-message--valid">
            Indicateur enregistré :{" "}
            <Link to={`/observatoire/indicateurs/${saved.code}`}>{saved.libelle}</Link>
          </p>
        )}
      </div>
      <ProblemAlert
        problem={catalog.problem}
        unavailable="Le catalogue des indicateurs"
        onRetry={catalog.reload}
      />
      {catalog.loading && !catalog.data && <Loading />}
      {catalog.data && (
        <DataTable<Indicator>
          caption="Indicateurs du catalogue"
          rows={catalog.data.items}
          rowKey={(row) => row.code}
          initialSort={{ key: "libelle", direction: "ascending" }}
          columns={[
            {
              key: "libelle",
              label: "Indicateur",
              rowHeader: true,
              sortValue: (row) => row.libelle,
              render: (row) => <Link to={`/observatoire/indicateurs/${row.code}`}>{row.libelle}</Link>,
            },
            { key: "theme", label: "Thème", sortValue: (row) => row.theme, render: (row) => row.theme },
            {
              key: "unite",
              label: "Unité",
              sortValue: (row) => UNITS[row.unite],
              render: (row) => UNITS[row.unite] ?? row.unite,
            },
            {
              key: "producteur",
              label: "Produit par",
              sortValue: (row) => row.producteur,
              render: (row) => PRODUCERS[row.producteur] ?? row.producteur,
            },
            {
              key: "actions",
              label: "Actions",
              render: (row) => (
                <Button
                  priority="tertiary"
                  size="small"
                  onClick={() => {
                    setEditing(row);
                    setSaved(undefined);
                    formRef.current?.scrollIntoView();
                  }}
                >
                  Modifier<span className="fr-sr-only"> : {row.libelle}</span>
                </Button>
              ),
            },
          ]}
        />
      )}
      <div ref={formRef} className="fr-mt-6w">
        <IndicatorForm
          key={editing?.code ?? "nouveau"}
          editing={editing}
          onCancel={() => setEditing(undefined)}
          onSaved={(indicator) => {
            setSaved(indicator);
            setEditing(undefined);
            setGeneration((value) => value + 1);
          }}
        />
      </div>
    </>
  );
}

export default function CatalogPage() {
  usePageTitle("Catalogue des indicateurs");
  return (
    <RequireScope scope="observatory:write">
      <Breadcrumb
        currentPageLabel="Catalogue des indicateurs"
        segments={[{ label: "Administration", linkProps: { to: "/administration" } }]}
      />
      <h1>Catalogue des indicateurs</h1>
      <p>
        L'unité, l'échelle et le calcul aux niveaux supérieurs ne changent plus dès qu'un indicateur a des
        valeurs.
      </p>
      <Catalog />
    </RequireScope>
  );
}

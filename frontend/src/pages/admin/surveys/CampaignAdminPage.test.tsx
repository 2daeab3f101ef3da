import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../../test/api";
import { renderAt, signIn, signOut } from "../../../test/render";
import CampaignAdminPage from "./CampaignAdminPage";

const COORDINATOR = {
  kind: "user",
  subject: "u3",
  name: "Coordination",
  role: "coordinator",
  scopes: ["surveys:write", "surveys:read"],
};
const CAMPAIGN = {
  id: "c1",
  nom: "Autonomie 2026",
  questionnaire_id: "q1",
  structure: "France Services",
  territoire: null,
  mode: "both",
  jeton_public: "jeton-public-123",
  debut: "2026-11-01T10:00:00Z",
  fin: null,
  quota: 200,
  conservation_jours: 730,
  cree_le: "2026-11-01T10:00:00Z",
  modifie_le: "2026-11-01T10:00:00Z",
};
const QUESTIONNAIRE = {
  id: "q1",
  code: "toile",
  version: 1,
  statut: "published",
  titre: "Toile",
  definition: { code: "toile", title: { fr: "Toile" }, questions: [] },
};
const routes = [{ path: "/administration/campagnes/:id", element: <CampaignAdminPage /> }];

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("a campaign", () => {
  it("shows its public link with a QR code, and closes after a confirmation", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/surveys/campagnes/c1": () => json(CAMPAIGN),
      "GET /api/surveys/questionnaires/q1": () => json(QUESTIONNAIRE),
      "POST /api/surveys/campagnes/c1/cloture": () => json({ ...CAMPAIGN, fin: "2026-11-30T10:00:00Z" }),
    });
    renderAt("/administration/campagnes/c1", routes);
    expect(await screen.findByTestId("public-link")).toHaveTextContent(/\/enquete\/jeton-public-123$/);
    const qr = await screen.findByRole("img", {
      name: /QR code du lien public : .*\/enquete\/jeton-public-123/,
    });
    await vi.waitFor(() => expect(qr.querySelector("svg")).not.toBeNull());
    await userEvent.click(screen.getByRole("button", { name: "Clore la campagne" }));
    await userEvent.click(
      within(screen.getByRole("dialog")).getByRole("button", { name: "Clore la campagne" }),
    );
    expect(await screen.findByText(/Campagne close/)).toBeInTheDocument();
    expect(requests.filter((request) => request.method === "POST")).toHaveLength(1);
  });

  it("imports a PIX Orga export and reports what it read", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/surveys/campagnes/c1": () => json(CAMPAIGN),
      "GET /api/surveys/questionnaires/q1": () => json(QUESTIONNAIRE),
      "POST /api/surveys/campagnes/c1/imports/pix-orga": () =>
        json({ importes: 3, non_partages: 1, deja_importes: 0, competences: ["1.1", "2.1"] }),
    });
    renderAt("/administration/campagnes/c1", routes);
    const file = new File(["Identifiant externe;Partage\nBEN-1;Oui\n"], "pix.csv", { type: "text/csv" });
    await userEvent.upload(await screen.findByLabelText(/Export PIX Orga/), file);
    await userEvent.selectOptions(screen.getByLabelText("Moment de l'accompagnement"), "post");
    await userEvent.click(screen.getByRole("button", { name: "Importer l'export PIX Orga" }));
    expect(await screen.findByText("3 participants importés")).toBeInTheDocument();
    expect(screen.getByText(/1 participant n'a pas partagé ses résultats/)).toBeInTheDocument();
    const sent = requests.find((request) => request.method === "POST")!;
    expect(new URL(sent.url).searchParams.get("phase")).toBe("post");
    expect(await sent.text()).toContain("BEN-1");
  });

  it("sets an emptied quota back to none (null), keeping the other settings", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/surveys/campagnes/c1": () => json(CAMPAIGN),
      "GET /api/surveys/questionnaires/q1": () => json(QUESTIONNAIRE),
      "PATCH /api/surveys/campagnes/c1": () => json({ ...CAMPAIGN, quota: null }),
    });
    renderAt("/administration/campagnes/c1", routes);
    const quota = await screen.findByLabelText(/^Nombre de réponses attendues au plus/);
    expect(quota).toHaveValue("200");
    await userEvent.clear(quota);
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer les réglages" }));
    expect((await screen.findAllByText("Réglages enregistrés.")).length).toBeGreaterThan(0);
    const sent = JSON.parse(await requests.find((request) => request.method === "PATCH")!.text());
    expect(sent).toMatchObject({ quota: null, fin: null, nom: "Autonomie 2026", conservation_jours: 730 });
    expect(screen.getByText("Sans limite de réponses")).toBeInTheDocument();
  });
});

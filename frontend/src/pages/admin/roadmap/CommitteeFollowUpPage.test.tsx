import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../../test/api";
import { ADMIN, renderAt, signIn, signOut } from "../../../test/render";
import CommitteeFollowUpPage, { rowMessages } from "./CommitteeFollowUpPage";

const COORDINATOR = { ...ADMIN, role: "coordinator", scopes: ["observatory:write"] };
const SLOW = { timeout: 10000 };
const MEETING = {
  id: 4,
  type: "comite_partenaires",
  date: "2026-11-20",
  titre: "Comité des partenaires d'automne",
  lieu: "Chambéry",
  notes: null,
  documents: [
    { titre: "Compte rendu du 20 novembre", url: "https://www.savoie.fr/cr.pdf", nature: "compte_rendu" },
  ],
  reunion_precedente: null,
};
const ACTION = {
  id: 11,
  comite: 4,
  decision: 7,
  intitule: "Cartographier les permanences de Maurienne",
  porteur: "FNE Savoie",
  echeance: "2026-12-31",
  statut: "a_faire",
  faite_le: null,
  en_retard: false,
};
const FOLLOW = {
  comite: 4,
  participants: [{ nom: "Léa Blanc", structure: "Département de la Savoie", fonction: null, present: true }],
  presents: 1,
  decisions: [{ id: 7, texte: "Ouvrir l'observatoire aux partenaires", actions: [ACTION] }],
  actions_hors_decision: [],
  compte_rendu_publie: true,
  support_publie: false,
};
const routes = [{ path: "/administration/comites/:id", element: <CommitteeFollowUpPage /> }];

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("rowMessages", () => {
  it("reads the messages about one row of a list", () => {
    const problem = {
      title: "Données invalides",
      status: 422,
      errors: [
        { field: "actions.1.echeance", reason: "date invalide", location: "body" },
        { field: "actions.0.porteur", reason: "champ requis", location: "body" },
      ],
    };
    expect(rowMessages(problem as never, "actions.1")).toEqual({ echeance: "date invalide" });
  });
});

describe("CommitteeFollowUpPage", () => {
  it("shows documents, participants, decisions and actions; records a decision with its action", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/observatory/comites/4": () => json(MEETING),
      "GET /api/observatory/comites/4/suivi": () => json(FOLLOW),
      "POST /api/observatory/comites/4/decisions": () =>
        json({ id: 8, texte: "Publier les comptes rendus", actions: [] }, 201),
    });
    renderAt("/administration/comites/4", routes);
    await screen.findByRole(
      "heading",
      { level: 1, name: "Suivi du Comité des partenaires de l'observatoire du 20 novembre 2026" },
      SLOW,
    );
    expect(screen.getByRole("link", { name: /Compte rendu du 20 novembre/ })).toHaveAttribute(
      "href",
      "https://www.savoie.fr/cr.pdf",
    );
    expect(await screen.findByDisplayValue("Département de la Savoie", {}, SLOW)).toBeInTheDocument();
    const table = screen.getByRole("table", { name: /Actions et leur avancement/ });
    expect(within(table).getByText("Cartographier les permanences de Maurienne")).toBeInTheDocument();
    expect(within(table).getByText("Décision 1")).toBeInTheDocument();

    const form = screen.getByRole("form", { name: "Enregistrer une décision" });
    fireEvent.change(within(form).getByLabelText("Décision"), {
      target: { value: "Publier les comptes rendus" },
    });
    await userEvent.click(within(form).getByRole("button", { name: "Ajouter une action à cette décision" }));
    fireEvent.change(within(form).getByLabelText("Intitulé de l'action 1"), {
      target: { value: "Mettre en ligne le compte rendu" },
    });
    fireEvent.change(within(form).getByLabelText(/^Porteur de l'action 1/), {
      target: { value: "FNE Savoie" },
    });
    fireEvent.change(within(form).getByLabelText("Échéance de l'action 1"), {
      target: { value: "2027-01-15" },
    });
    await userEvent.click(within(form).getByRole("button", { name: "Enregistrer la décision" }));
    await within(form).findByText("Décision enregistrée.");
    const posted = requests.find((request) => request.method === "POST")!;
    expect(await posted.json()).toEqual({
      texte: "Publier les comptes rendus",
      actions: [
        { intitule: "Mettre en ligne le compte rendu", porteur: "FNE Savoie", echeance: "2027-01-15" },
      ],
    });
  });

  it("moves an action on, and saves who attended", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/observatory/comites/4": () => json(MEETING),
      "GET /api/observatory/comites/4/suivi": () => json(FOLLOW),
      "PATCH /api/observatory/comites/actions/11": () => json({ ...ACTION, statut: "en_cours" }),
      "PUT /api/observatory/comites/4/participants": () => json(FOLLOW),
    });
    renderAt("/administration/comites/4", routes);
    const row = await screen.findByRole("form", { name: /Suivi de l'action Cartographier/ }, SLOW);
    await userEvent.selectOptions(within(row).getByLabelText("Statut"), "en_cours");
    await userEvent.click(within(row).getByRole("button", { name: /Mettre à jour/ }));
    await screen.findByText("Action « Cartographier les permanences de Maurienne » : en cours.");
    const patched = requests.find((request) => request.method === "PATCH")!;
    expect(await patched.json()).toEqual({
      statut: "en_cours",
      echeance: "2026-12-31",
      porteur: "FNE Savoie",
    });

    const participants = screen.getByRole("form", { name: "Participants" });
    await userEvent.click(within(participants).getByRole("button", { name: "Ajouter un participant" }));
    fireEvent.change(within(participants).getByLabelText(/^Structure, participant 2/), {
      target: { value: "CAF de la Savoie" },
    });
    await userEvent.click(within(participants).getByLabelText(/Présent, participant 2/));
    await userEvent.click(within(participants).getByRole("button", { name: "Enregistrer les participants" }));
    await screen.findByText("Participants enregistrés.");
    const put = requests.find((request) => request.method === "PUT")!;
    expect(await put.json()).toEqual([
      { nom: "Léa Blanc", structure: "Département de la Savoie", fonction: null, present: true },
      { nom: null, structure: "CAF de la Savoie", fonction: null, present: false },
    ]);
  });
});

import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../../test/api";
import { ADMIN, renderAt, signIn, signOut } from "../../../test/render";
import PlaceAdminPage from "./PlaceAdminPage";

const PLACE = {
  id: "p1",
  nom: "Atelier du Biollay",
  adresse: "10 rue du Biollay",
  code_postal: "73000",
  commune: "Chambéry",
  status: "active",
};
const RECORD = (id: number, source: string) => ({
  id,
  source,
  kind: "place",
  source_id: `${source}-1`,
  status: "active",
  place_id: "p1",
  date_maj: "2026-10-01",
  first_seen_at: "2026-10-01T10:00:00Z",
  last_seen_at: "2026-11-29T10:00:00Z",
  withdrawn_at: null,
  quarantine_reasons: null,
  warnings: null,
});
const PROVENANCE = {
  place_id: "p1",
  fields: [
    {
      field: "telephone",
      source: "manual",
      record_id: null,
      source_id: null,
      date_maj: null,
      rule: "manual",
      edited_by: "Coordination Savoie",
      edited_at: "2026-11-20T10:00:00Z",
    },
    {
      field: "nom",
      source: "dora",
      record_id: 1,
      source_id: "dora-1",
      date_maj: "2026-10-01",
      rule: "date_maj",
    },
  ],
  records: [RECORD(1, "dora"), RECORD(2, "mednum73")],
};
const routes = [{ path: "/administration/lieux/:id", element: <PlaceAdminPage /> }];

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("managing a place", () => {
  it("withdraws it after a confirmation, with the version read (If-Match), then offers to restore it", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/directory/lieux/p1": [
        () => json(PLACE, 200, { ETag: '"v1"' }),
        () => json({ ...PLACE, status: "withdrawn" }, 200, { ETag: '"v2"' }),
      ],
      "GET /api/directory/sync/lieux/p1/provenance": () => json(PROVENANCE),
      "DELETE /api/directory/lieux/p1": () => json({ ...PLACE, status: "withdrawn" }),
    });
    renderAt("/administration/lieux/p1", routes);
    await userEvent.click(await screen.findByRole("button", { name: "Retirer ce lieu" }));
    await userEvent.click(
      within(screen.getByRole("dialog")).getByRole("button", { name: "Retirer le lieu" }),
    );
    // The page reads the place again after the withdrawal: slow on a busy machine.
    expect(
      await screen.findByRole("button", { name: "Restaurer ce lieu" }, { timeout: 10000 }),
    ).toBeInTheDocument();
    const withdrawal = requests.find((request) => request.method === "DELETE")!;
    expect(withdrawal.headers.get("if-match")).toBe('"v1"');
  });

  it("releases a field typed by hand, and splits a wrong merge", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(ADMIN),
      "GET /api/directory/lieux/p1": () => json(PLACE, 200, { ETag: '"v1"' }),
      "GET /api/directory/sync/lieux/p1/provenance": () => json(PROVENANCE),
      "DELETE /api/directory/sync/lieux/p1/manuel/telephone": () => json(PROVENANCE),
      "POST /api/directory/sync/enregistrements/2/separation": () =>
        json({ ...RECORD(2, "mednum73"), place_id: "p9" }),
    });
    renderAt("/administration/lieux/p1", routes);
    const fields = await screen.findByRole("table", { name: /Source de chaque champ/ });
    expect(within(fields).getByText(/Saisie à la main par Coordination Savoie/)).toBeInTheDocument();
    await userEvent.click(within(fields).getByRole("button", { name: /Libérer/ }));
    await userEvent.click(
      within(screen.getByRole("dialog")).getByRole("button", { name: "Libérer le champ" }),
    );
    expect(await screen.findByText(/est rendu à ses sources/)).toBeInTheDocument();

    await userEvent.click(await screen.findByRole("button", { name: "Séparer mednum73 (mednum73-1)" }));
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Séparer" }));
    expect(await screen.findByText(/est devenu un lieu à part/)).toBeInTheDocument();
    expect(requests.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toContain(
      "POST /api/directory/sync/enregistrements/2/separation",
    );
  });
});

import { fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../test/api";
import { renderAt } from "../../test/render";
import AgendaPage from "./AgendaPage";

const routes = [{ path: "/agenda", element: <AgendaPage /> }];

function event(id: string, titre: string, commune: string, commune_nom: string, type = "cafe_numerique") {
  return {
    id,
    titre,
    description: null,
    type,
    type_libelle: "",
    debut: "2027-03-16T13:00:00Z",
    fin: "2027-03-16T15:00:00Z",
    commune,
    commune_nom,
    adresse: "Place du Palais",
    lieu_id: null,
    lieu_nom: null,
    public: "Tout public",
    gratuit: true,
    tarif: null,
    lien_inscription: null,
    organisateur: null,
    publie: true,
    annule: false,
    participants: null,
    partenaires: null,
    url: `https://fne.example.org/agenda/${id}`,
    cree_le: "2026-12-01T10:00:00Z",
    modifie_le: "2026-12-01T10:00:00Z",
  };
}

const CHAMBERY = event("e1", "Café numérique", "73065", "Chambéry");
const AIX = event("e2", "Forum de l'inclusion", "73008", "Aix-les-Bains", "forum");

afterEach(() => vi.unstubAllGlobals());

describe("the public agenda", () => {
  it("lists what is coming, filters by commune and links that commune's calendar feed", async () => {
    const { requests } = mockApi({
      "GET /api/network/evenements": (request) => {
        const communes = new URL(request.url).searchParams.getAll("commune");
        const items = communes.length
          ? [CHAMBERY, AIX].filter((item) => communes.includes(item.commune))
          : [CHAMBERY, AIX];
        return json({ items, total: items.length, page: 1, size: 50 });
      },
    });
    renderAt("/agenda", routes);
    expect(await screen.findByRole("link", { name: "Forum de l'inclusion" })).toHaveAttribute(
      "href",
      "/agenda/e2",
    );
    expect(screen.getAllByText("mardi 16 mars 2027, 14:00 – 16:00", { exact: false })).toHaveLength(2);
    // The communes offered are those where something is coming, by name.
    const commune = screen.getByLabelText("Commune");
    expect([...commune.querySelectorAll("option")].map((option) => option.textContent)).toEqual([
      "Toutes les communes",
      "Aix-les-Bains",
      "Chambéry",
    ]);
    fireEvent.change(commune, { target: { value: "73065" } });
    fireEvent.click(screen.getByRole("button", { name: "Filtrer" }));
    expect(await screen.findByText("1 événement à venir")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Forum de l'inclusion" })).toBeNull();
    expect(
      screen.getByRole("link", { name: /S'abonner à l'agenda de Chambéry/ }).getAttribute("href"),
    ).toMatch(/\/api\/network\/evenements\.ics\?commune=73065$/);
    expect(requests.some((request) => new URL(request.url).searchParams.get("commune") === "73065")).toBe(
      true,
    );
  });

  it("names the outage when the network service is down", async () => {
    mockApi({
      "GET /api/network/evenements": () =>
        json({ type: "x", code: "upstream-unavailable", title: "Service indisponible", status: 502 }, 502),
    });
    renderAt("/agenda", routes);
    expect((await screen.findAllByRole("alert")).length).toBeGreaterThan(0);
  });
});

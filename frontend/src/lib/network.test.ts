import { describe, expect, it } from "vitest";

import { calendarFeed, eventWhen, eventWhere } from "./network";

describe("network helpers", () => {
  it("says when an event takes place in Savoie time", () => {
    expect(eventWhen("2027-03-16T13:00:00Z", "2027-03-16T15:00:00Z")).toBe(
      "mardi 16 mars 2027, 14:00 – 16:00",
    );
    expect(eventWhen("2027-03-16T13:00:00Z", "2027-03-17T15:00:00Z")).toBe(
      "du mardi 16 mars 2027, 14:00, au mercredi 17 mars 2027, 16:00",
    );
  });

  it("says where, leaving out what is unknown", () => {
    expect(
      eventWhere({ lieu_nom: null, adresse: "Place du Palais", commune_nom: "Chambéry", commune: "73065" }),
    ).toBe("Place du Palais, Chambéry");
  });

  it("links the calendar feed of one commune", () => {
    expect(calendarFeed("73065", "https://fne.example.org")).toBe(
      "https://fne.example.org/api/network/evenements.ics?commune=73065",
    );
    expect(calendarFeed(null, "https://fne.example.org")).toBe(
      "https://fne.example.org/api/network/evenements.ics",
    );
  });
});

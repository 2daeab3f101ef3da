import { describe, expect, it } from "vitest";

import { emptyHours, hoursModel, hoursProblems, parseOpeningHours, toOsm, todayHours } from "./openingHours";

describe("parseOpeningHours", () => {
  it("reads day ranges, several intervals and closed holidays", () => {
    const week = parseOpeningHours("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off");
    expect(week?.days[0]).toEqual(["09:00–12:00", "14:00–17:00"]);
    expect(week?.days[4]).toEqual(["09:00–12:00", "14:00–17:00"]);
    expect(week?.days[5]).toEqual(["09:00–12:00"]);
    expect(week?.days[6]).toEqual([]);
    expect(week?.closedOnHolidays).toBe(true);
  });

  it("lets later rules override earlier ones, and wraps day ranges over the weekend", () => {
    const week = parseOpeningHours("Mo-Su 10:00-18:00; We off; Sa-Mo 08:00-09:00");
    expect(week?.days[2]).toEqual([]);
    expect(week?.days[1]).toEqual(["10:00–18:00"]);
    expect(week?.days[5]).toEqual(["08:00–09:00"]);
    expect(week?.days[0]).toEqual(["08:00–09:00"]);
  });

  it("reads lists of days and 24/7", () => {
    expect(parseOpeningHours("Tu,Th 14:00-16:00")?.days.map((day) => day.length)).toEqual([
      0, 1, 0, 1, 0, 0, 0,
    ]);
    expect(parseOpeningHours("24/7")?.days.every((day) => day[0] === "00:00–24:00")).toBe(true);
  });

  it("gives up on what a week table cannot say, so that the raw rule is shown", () => {
    expect(parseOpeningHours("Jan-Mar Mo 10:00-12:00")).toBeNull();
    expect(parseOpeningHours("Mo 10:00-12:00; PH 10:00-11:00")).toBeNull();
    expect(parseOpeningHours("Mo sunrise-sunset")).toBeNull();
    expect(parseOpeningHours("")).toBeNull();
  });
});

describe("todayHours", () => {
  // Wednesday 2 December 2026, 23:30 UTC: already Thursday in Savoie.
  const lateWednesdayUtc = new Date("2026-12-02T23:30:00Z");
  it("reads today's intervals in Savoie's time", () => {
    expect(todayHours("Mo-We 09:00-12:00; Th 09:00-12:00,14:00-17:00", lateWednesdayUtc)).toBe(
      "09:00–12:00 et 14:00–17:00",
    );
    expect(todayHours("Mo-We 09:00-12:00", lateWednesdayUtc)).toBe("fermé");
    expect(todayHours("24/7", lateWednesdayUtc)).toBe("ouvert toute la journée");
  });
  it("says nothing when the rules go beyond a week table", () => {
    expect(todayHours("Mo-Fr sunrise-sunset", lateWednesdayUtc)).toBeNull();
    expect(todayHours(null, lateWednesdayUtc)).toBeNull();
  });
});

describe("the opening-hours editor's model", () => {
  it("writes a week in the standard's syntax, grouping days with the same slots", () => {
    const model = emptyHours();
    for (const day of [0, 1, 2, 3, 4])
      model.days[day] = [
        { start: "14:00", end: "17:30" },
        { start: "09:00", end: "12:00" },
      ];
    model.days[5] = [{ start: "09:00", end: "12:00" }];
    model.closures = [
      { from: "2026-12-24", to: "2026-12-26" },
      { from: "2026-08-15", to: "" },
    ];
    expect(toOsm(model)).toBe(
      "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off; 2026 Aug 15 off; 2026 Dec 24-2026 Dec 26 off",
    );
  });

  it("reads back what it writes, and says hours unknown when no day has a slot", () => {
    const expression = "Mo,We 09:00-12:00; Fr 14:00-24:00; PH off; 2026 Dec 24-2026 Dec 26 off";
    const model = hoursModel(expression)!;
    expect(model.days[4]).toEqual([{ start: "14:00", end: "00:00" }]);
    expect(model.closures).toEqual([{ from: "2026-12-24", to: "2026-12-26" }]);
    expect(toOsm(model)).toBe(expression);
    expect(toOsm(emptyHours())).toBe("");
    expect(hoursModel("")).toEqual(emptyHours());
    expect(hoursModel("Jan-Mar Mo 10:00-12:00")).toBeNull();
    expect(
      toOsm({
        ...emptyHours(),
        days: emptyHours().days.map(() => [{ start: "00:00", end: "00:00" }]),
        holidays: "usual",
      }),
    ).toBe("24/7");
  });

  it("explains slots and closures that cannot be right", () => {
    const model = emptyHours();
    model.days[0] = [
      { start: "09:00", end: "12:00" },
      { start: "11:00", end: "13:00" },
      { start: "15:00", end: "14:00" },
    ];
    model.days[1] = [{ start: "09:00", end: "" }];
    model.closures = [{ from: "2026-12-26", to: "2026-12-24" }];
    expect(hoursProblems(model)).toEqual({
      "day-0-1": "ce créneau chevauche le précédent",
      "day-0-2": "la fermeture doit suivre l'ouverture",
      "day-1-0": "indiquez l'heure d'ouverture et l'heure de fermeture",
      "closure-0": "la fin doit suivre le début",
    });
  });

  it("counts an exceptional closure in today's hours", () => {
    expect(todayHours("Mo-Su 09:00-12:00; 2026 Dec 24 off", new Date("2026-12-24T10:00:00Z"))).toBe(
      "fermé exceptionnellement",
    );
  });
});

import { describe, expect, it } from "vitest";

import { parseOpeningHours, todayHours } from "./openingHours";

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
    expect(parseOpeningHours("Tu,Th 14:00-16:00")?.days.map((day) => day.length)).toEqual([0, 1, 0, 1, 0, 0, 0]);
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
    expect(todayHours("Mo-We 09:00-12:00; Th 09:00-12:00,14:00-17:00", lateWednesdayUtc)).toBe("09:00–12:00 et 14:00–17:00");
    expect(todayHours("Mo-We 09:00-12:00", lateWednesdayUtc)).toBe("fermé");
    expect(todayHours("24/7", lateWednesdayUtc)).toBe("ouvert toute la journée");
  });
  it("says nothing when the rules go beyond a week table", () => {
    expect(todayHours("Mo-Fr sunrise-sunset", lateWednesdayUtc)).toBeNull();
    expect(todayHours(null, lateWednesdayUtc)).toBeNull();
  });
});

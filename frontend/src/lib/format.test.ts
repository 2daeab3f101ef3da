import { describe, expect, it } from "vitest";

import { formatDate, formatDistance, formatMoment, formatPhone, plural } from "./format";

describe("French formatting", () => {
  const now = new Date("2026-12-01T09:00:00Z"); // a Tuesday, 10:00 in Paris

  it("says when a place opens or closes, in Paris time", () => {
    expect(formatMoment("2026-12-01T17:00:00Z", now)).toBe("aujourd'hui à 18 h 00");
    expect(formatMoment("2026-12-02T08:30:00Z", now)).toBe("demain à 09 h 30");
    expect(formatMoment("2026-12-05T09:00:00Z", now)).toBe("samedi 5 décembre à 10 h 00");
  });

  it("writes calendar dates without shifting them across midnight", () => {
    expect(formatDate("2026-03-01")).toBe("1 mars 2026");
  });

  it("writes French phone numbers by pairs and leaves others alone", () => {
    expect(formatPhone("+33479600404")).toBe("04 79 60 04 04");
    expect(formatPhone("+590590123456")).toBe("+590590123456");
  });

  it("rounds distances for reading", () => {
    expect(formatDistance(312)).toBe("310 m");
    expect(formatDistance(2540)).toBe("2,5 km");
    expect(formatDistance(23400)).toBe("23 km");
  });

  it("agrees nouns with their number", () => {
    expect(plural(1, "lieu trouvé", "lieux trouvés")).toBe("1 lieu trouvé");
    expect(plural(0, "lieu trouvé", "lieux trouvés")).toBe("0 lieu trouvé");
    expect(plural(1200, "lieu", "lieux")).toBe("1\u202f200 lieux");
  });
});

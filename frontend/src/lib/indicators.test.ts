import { describe, expect, it } from "vitest";

import { valueFormatter } from "./indicators";

describe("valueFormatter", () => {
  it("writes the unit and the indicator's decimals the French way", () => {
    expect(valueFormatter("pourcentage", 1)(12.345)).toBe("12,3 %");
    expect(valueFormatter("pour_10000_habitants", 2)(3.5)).toBe("3,5 pour 10 000 hab.");
    expect(valueFormatter("nombre", 0)(12500)).toBe("12\u202f500");
  });
});

import { describe, expect, it } from "vitest";

import { shownValue, valueFormatter } from "./indicators";

describe("valueFormatter", () => {
  it("writes the unit and the indicator's decimals the French way", () => {
    expect(valueFormatter("pourcentage", 1)(12.345)).toBe("12,3 %");
    expect(valueFormatter("pour_10000_habitants", 2)(3.5)).toBe("3,5 pour 10 000 hab.");
    expect(valueFormatter("nombre", 0)(12500)).toBe("12\u202f500");
  });
});

describe("shownValue", () => {
  const format = valueFormatter("score", 1);
  it("says why there is no number: secret, partial data (Savoie's value is not France's), or none", () => {
    expect(shownValue({ valeur: 5.69 }, format)).toBe("5,7");
    expect(shownValue({ valeur: null, secret: "primaire" }, format)).toBe("secret statistique");
    expect(shownValue({ valeur: null, donnees_partielles: true }, format)).toBe("données partielles");
    expect(shownValue({ valeur: null }, format)).toBe("—");
    expect(shownValue(null, format)).toBe("—");
  });
});

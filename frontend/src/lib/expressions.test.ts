import { describe, expect, it } from "vitest";

import { ExpressionError, holds } from "./expressions";

describe("skip logic, as the surveys service evaluates it", () => {
  it("compares answers, numbers as numbers", () => {
    expect(holds("${age} >= 18", { age: 20 })).toBe(true);
    expect(holds("${age} >= 18", { age: 9 })).toBe(false);
    expect(holds("${age} > 2 and ${age} < 10", { age: "9" })).toBe(true);
  });

  it("reads an unanswered question as empty: only = '' holds", () => {
    expect(holds("${q} = ''", {})).toBe(true);
    expect(holds("${q} != ''", {})).toBe(false);
    expect(holds("${q} > 3", {})).toBe(false);
    expect(holds("${q} != ''", { q: "a" })).toBe(true);
  });

  it("sees yes/no answers as 'yes' and 'no'", () => {
    expect(holds("${ordinateur} = 'yes'", { ordinateur: true })).toBe(true);
    expect(holds("${ordinateur} = 'no'", { ordinateur: true })).toBe(false);
  });

  it("knows the four functions and grid rows", () => {
    expect(holds("selected(${usages}, 'mail')", { usages: ["mail", "banque"] })).toBe(true);
    expect(holds("count-selected(${usages}) >= 3", { usages: ["mail"] })).toBe(false);
    expect(holds("not(${a} = 'x')", { a: "y" })).toBe(true);
    expect(holds("string-length(.) <= 3", {}, "abcd")).toBe(false);
    expect(holds("${grille.mail} >= 2", { grille: { mail: 3 } })).toBe(true);
    expect(holds("${grille.mail} >= 2", { grille: {} })).toBe(false);
  });

  it("gives and precedence over or, and arithmetic over comparison", () => {
    expect(holds("${a} = 1 or ${a} = 2 and ${b} = 3", { a: 1, b: 0 })).toBe(true);
    expect(holds("${a} + 2 * 3 = 7", { a: 1 })).toBe(true);
    expect(holds("-${a} mod 3 = 2", { a: 1 })).toBe(true);
    expect(holds("true()", {})).toBe(true);
  });

  it("refuses what the service refuses", () => {
    expect(() => holds("${a} = ", {})).toThrow(ExpressionError);
    expect(() => holds("alert(1)", {})).toThrow(ExpressionError);
    expect(() => holds("${a} = 1 = 1", {})).toThrow(ExpressionError);
  });
});

import { describe, expect, it } from "vitest";

import { describeIssue } from "./issues";

describe("describeIssue", () => {
  it("names where and what", () => {
    expect(describeIssue({ field: "code_postal", reason: "5 chiffres attendus" })).toBe(
      "code_postal : 5 chiffres attendus",
    );
    expect(describeIssue({ stage: "fetch", message: "délai dépassé", at: "2026-11-29T10:00:00Z" })).toBe(
      "fetch : délai dépassé",
    );
  });

  it("falls back to the raw content rather than hiding it", () => {
    expect(describeIssue({ code: 7 })).toBe('{"code":7}');
  });
});

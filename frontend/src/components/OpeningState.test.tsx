import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { OpeningState } from "./OpeningState";

const now = new Date("2026-12-01T09:00:00Z");

describe("OpeningState", () => {
  it("says open, and until when", () => {
    render(
      <OpeningState
        hours={{ open_now: true, next_opening: null, next_closing: "2026-12-01T11:00:00Z" }}
        now={now}
      />,
    );
    expect(screen.getByText("Ouvert")).toBeInTheDocument();
    expect(screen.getByText("ferme aujourd'hui à 12 h 00")).toBeInTheDocument();
  });

  it("says closed, and when it opens next", () => {
    render(
      <OpeningState
        hours={{ open_now: false, next_opening: "2026-12-02T08:00:00Z", next_closing: null }}
        now={now}
      />,
    );
    expect(screen.getByText("Fermé")).toBeInTheDocument();
    expect(screen.getByText("ouvre demain à 09 h 00")).toBeInTheDocument();
  });

  it("says when hours are unknown rather than guessing", () => {
    render(<OpeningState hours={{ open_now: null, next_opening: null, next_closing: null }} />);
    expect(screen.getByText("Horaires non renseignés")).toBeInTheDocument();
  });
});

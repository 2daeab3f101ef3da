import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { SearchFilters } from "./SearchFilters";

describe("SearchFilters", () => {
  it("shows the values the results offer, with their counts, and toggles them", async () => {
    const onToggle = vi.fn();
    render(
      <SearchFilters
        params={new URLSearchParams()}
        facets={{
          frais_a_charge: { Gratuit: 4, Payant: 1 },
          services: { "Aide aux démarches administratives": 3 },
        }}
        onToggle={onToggle}
      />,
    );
    expect(screen.getByRole("group", { name: "Tarif" })).toBeInTheDocument();
    expect(screen.getByLabelText("Gratuit (4)")).not.toBeChecked();
    expect(screen.queryByLabelText(/Gratuit sous condition/)).toBeNull();
    expect(screen.queryByRole("group", { name: "Public accueilli" })).toBeNull();
    await userEvent.click(screen.getByLabelText("Payant (1)"));
    expect(onToggle).toHaveBeenCalledWith("frais_a_charge", "Payant");
  });

  it("keeps every value of a field once one is checked, since checking another widens the results", () => {
    render(
      <SearchFilters
        params={new URLSearchParams("frais_a_charge=Payant")}
        facets={{ frais_a_charge: { Payant: 1 } }}
        onToggle={() => {}}
      />,
    );
    expect(screen.getByLabelText("Payant")).toBeChecked();
    expect(screen.getByLabelText("Gratuit")).not.toBeChecked();
    expect(screen.getByLabelText("Gratuit sous condition")).toBeInTheDocument();
  });
});

import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { OpeningHoursEditor } from "./OpeningHoursEditor";

describe("OpeningHoursEditor", () => {
  it("builds the standard's syntax from slots clicked and times chosen, without typing it", async () => {
    const user = userEvent.setup();
    const written: string[] = [];
    render(<OpeningHoursEditor value="" onChange={(expression) => written.push(expression)} />);
    await user.click(screen.getByRole("button", { name: "Ajouter un créneau le lundi" }));
    expect(written.at(-1)).toBe("Mo 09:00-12:00; PH off");
    await user.click(screen.getByRole("button", { name: "Ajouter un créneau le lundi" }));
    expect(written.at(-1)).toBe("Mo 09:00-12:00,14:00-17:00; PH off");
    await user.click(screen.getByRole("button", { name: "Même chose le mardi que le lundi" }));
    expect(written.at(-1)).toBe("Mo,Tu 09:00-12:00,14:00-17:00; PH off");
    await user.click(screen.getByLabelText("Ouvert selon les horaires habituels"));
    expect(written.at(-1)).toBe("Mo,Tu 09:00-12:00,14:00-17:00");
    await user.click(screen.getByRole("button", { name: "Retirer le créneau 2 du mardi" }));
    expect(written.at(-1)).toBe("Mo 09:00-12:00,14:00-17:00; Tu 09:00-12:00");
  });

  it("shows what is wrong with a slot in words", async () => {
    render(<OpeningHoursEditor value="Mo 12:00-09:00" onChange={() => undefined} />);
    expect(screen.getByText("la fermeture doit suivre l'ouverture")).toBeInTheDocument();
  });

  it("keeps hours too particular for it until asked to replace them", async () => {
    const user = userEvent.setup();
    const written: string[] = [];
    render(
      <OpeningHoursEditor
        value="Jan-Mar Mo 10:00-12:00"
        onChange={(expression) => written.push(expression)}
      />,
    );
    expect(written).toEqual([]);
    await user.click(screen.getByRole("button", { name: "Les remplacer avec l'éditeur" }));
    expect(screen.getByRole("button", { name: "Ajouter un créneau le lundi" })).toBeInTheDocument();
    expect(written).toEqual([""]);
  });
});

import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { ConfirmButton } from "./ConfirmDialog";

describe("a destructive action behind a confirmation", () => {
  it("asks in a named dialog, does nothing on Annuler, acts on confirmation and gives focus back", async () => {
    const act = vi.fn();
    render(
      <ConfirmButton
        label="Retirer ce lieu"
        title="Retirer « Atelier » ?"
        confirmLabel="Retirer le lieu"
        onConfirm={act}
      >
        <p>Il quitte les recherches.</p>
      </ConfirmButton>,
    );
    const trigger = screen.getByRole("button", { name: "Retirer ce lieu" });
    await userEvent.click(trigger);
    const dialog = screen.getByRole("dialog", { name: "Retirer « Atelier » ?" });
    expect(dialog).toHaveTextContent("Il quitte les recherches.");
    expect(screen.getByRole("button", { name: "Annuler" })).toHaveFocus();
    await userEvent.click(screen.getByRole("button", { name: "Annuler" }));
    expect(act).not.toHaveBeenCalled();
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(trigger).toHaveFocus();

    await userEvent.click(trigger);
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(trigger).toHaveFocus();
    expect(act).not.toHaveBeenCalled();

    await userEvent.click(trigger);
    await userEvent.click(screen.getByRole("button", { name: "Retirer le lieu" }));
    expect(act).toHaveBeenCalledOnce();
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});

import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { ApiProblem } from "../api/problem";
import { useFormFields } from "./useFormFields";

function Form({ work }: { work: (form: { nom: string; public: boolean }) => Promise<void> }) {
  const { form, text, check, state, submit, busy } = useFormFields({ nom: "", public: false });
  const nom = state("nom");
  return (
    <form onSubmit={submit(() => work(form))} aria-label="essai">
      <label htmlFor="nom">Nom</label>
      <input id="nom" {...text("nom")} aria-invalid={nom.state === "error"} />
      <p>{nom.stateRelatedMessage}</p>
      <label htmlFor="public">Public</label>
      <input id="public" type="checkbox" {...check("public")} />
      <button type="submit" disabled={busy}>
        Envoyer
      </button>
    </form>
  );
}

describe("useFormFields", () => {
  it("binds text and check fields, and runs the work with the draft on submit", async () => {
    const work = vi.fn(async () => {});
    render(<Form work={work} />);
    fireEvent.change(screen.getByLabelText("Nom"), { target: { value: "Anne" } });
    await userEvent.click(screen.getByLabelText("Public"));
    await userEvent.click(screen.getByRole("button", { name: "Envoyer" }));
    expect(work).toHaveBeenCalledWith({ nom: "Anne", public: true });
  });

  it("marks the fields the API named, with its French reason", async () => {
    const refusal = {
      status: 422,
      title: "Données invalides",
      errors: [{ location: "body", field: "nom", reason: "Ce champ ne peut pas être vide", type: "missing" }],
    };
    const work = vi.fn(async () => {
      throw new ApiProblem(refusal);
    });
    render(<Form work={work} />);
    await userEvent.click(screen.getByRole("button", { name: "Envoyer" }));
    expect(await screen.findByText(/ne peut pas être vide/)).toBeInTheDocument();
    expect(screen.getByLabelText("Nom")).toHaveAttribute("aria-invalid", "true");
  });
});

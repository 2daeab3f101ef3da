import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { forgetSiteInfo } from "../lib/site";
import { json, mockApi } from "../test/api";
import { commune, communePage, SITE } from "../test/communes";
import { CommunePicker } from "./CommunePicker";

const SAINT_ALBAN = [
  commune("73222", "Saint-Alban-Leysse", "73230"),
  commune("73223", "Saint-Alban-des-Hurtières", "73220"),
  commune("38350", "Saint-Alban-de-Roche", "38080"),
];

function Harness({ onChange }: { onChange: (code: string, name: string | null) => void }) {
  const [code, setCode] = useState("");
  return (
    <>
      <CommunePicker
        label="Commune"
        hintText="Son nom"
        code={code}
        delay={0}
        onChange={(value, name) => {
          setCode(value);
          onChange(value, name);
        }}
      />
      <output>{code}</output>
    </>
  );
}

beforeEach(forgetSiteInfo);
afterEach(() => vi.unstubAllGlobals());

describe("CommunePicker", () => {
  it("suggests communes by name, the platform's département first, and keeps the INSEE code chosen", async () => {
    const { requests } = mockApi({
      "GET /api/site": () => json(SITE),
      "GET /api/directory/territoires/communes": () => json(communePage(SAINT_ALBAN)),
    });
    const changed = vi.fn();
    render(<Harness onChange={changed} />);
    fireEvent.change(screen.getByLabelText(/^Commune/), { target: { value: "Saint-Alban" } });
    const choice = await screen.findByRole("button", { name: "Saint-Alban-des-Hurtières (73220)" });
    expect(screen.getByText("3 suggestions :")).toBeInTheDocument();
    const asked = new URL(requests.at(-1)!.url);
    expect(asked.searchParams.get("departement_prefere")).toBe("73");
    await userEvent.click(choice);
    expect(changed).toHaveBeenLastCalledWith("73223", "Saint-Alban-des-Hurtières");
    expect(screen.getByLabelText(/^Commune/)).toHaveValue("Saint-Alban-des-Hurtières");
    expect(
      screen.getByText("Commune choisie : Saint-Alban-des-Hurtières (code INSEE 73223)"),
    ).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Saint-Alban-Leysse/ })).not.toBeInTheDocument();
  });

  it("takes an exact name without asking", async () => {
    mockApi({
      "GET /api/site": () => json(SITE),
      "GET /api/directory/territoires/communes": () =>
        json(
          communePage([commune("73065", "Chambéry", "73000"), commune("73051", "Challes-les-Eaux", "73190")]),
        ),
    });
    const changed = vi.fn();
    render(<Harness onChange={changed} />);
    fireEvent.change(screen.getByLabelText(/^Commune/), { target: { value: "Chambéry" } });
    await waitFor(() => expect(changed).toHaveBeenLastCalledWith("73065", "Chambéry"));
    expect(screen.getByText("Commune choisie : Chambéry (code INSEE 73065)")).toBeInTheDocument();
  });

  it("passes on what was typed and not chosen, so that the API names the field; says when nothing matches", async () => {
    mockApi({
      "GET /api/site": () => json(SITE),
      "GET /api/directory/territoires/communes": () => json(communePage([])),
    });
    const changed = vi.fn();
    render(<Harness onChange={changed} />);
    fireEvent.change(screen.getByLabelText(/^Commune/), { target: { value: "Atlantide" } });
    expect(changed).toHaveBeenLastCalledWith("Atlantide", null);
    expect(await screen.findByText("Aucune commune ne correspond à « Atlantide ».")).toBeInTheDocument();
  });
});

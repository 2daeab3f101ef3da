"""Aggregates broken down by age band, gender or social status: two-way tables whose suppressed cells cannot be
recovered from their row's or their column's published total."""

import random
from collections import Counter
from itertools import cycle
from typing import Any

from httpx import AsyncClient

from fne_surveys.results.disclosure import suppressed_table
from tests.surveys.factories import CONSENT, full_answers, ready_campaign

TOTAL = "total"
THRESHOLD = 11


def lines(rows: set[str], columns: set[str]) -> list[tuple[list[tuple[str, str]], tuple[str, str]]]:
    """Every row and column of a table with its margins: (members, the line's total)."""
    found = [([(row, column) for column in columns], (row, TOTAL)) for row in [*rows, TOTAL]]
    return found + [([(row, column) for row in rows], (TOTAL, column)) for column in [*columns, TOTAL]]


def assert_nothing_recoverable(people: dict[tuple[str, str], int], hidden: set[tuple[str, str]],
                               threshold: int) -> None:
    """Where a line's total is published, its hidden cells are none, or several counting at least the threshold
    together: subtracting the published cells from the total never gives one cell, nor a small group."""
    full = table_with_margins(people)
    assert {key for key, count in full.items() if count < threshold} <= hidden
    for members, total in lines({row for row, _ in people}, {column for _, column in people}):
        secret = [member for member in members if member in full and member in hidden]
        if total in hidden or not secret:
            continue
        assert len(secret) >= 2 and sum(full[member] for member in secret) >= threshold, (people, total, secret)


def table_with_margins(inner: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    full = dict(inner)
    for (row, column), count in inner.items():
        for key in ((row, TOTAL), (TOTAL, column), (TOTAL, TOTAL)):
            full[key] = full.get(key, 0) + count
    return full


def test_no_hidden_cell_of_a_two_way_table_is_recoverable_from_its_margins():
    generator = random.Random(20261129)
    for _ in range(1500):
        rows = [f"r{index}" for index in range(generator.randint(1, 5))]
        columns = [f"c{index}" for index in range(generator.randint(1, 4))]
        inner = {(row, column): generator.choice([1, 2, 3, 5, 8, 10, 11, 12, 15, 30])
                 for row in rows for column in columns if generator.random() > 0.15}
        assert_nothing_recoverable(inner, suppressed_table(inner, THRESHOLD, TOTAL), THRESHOLD)


def test_a_lone_small_cell_hides_a_partner_in_its_row_and_in_its_column():
    inner = {("73065", "18_29"): 20, ("73065", "75_plus"): 3, ("73008", "18_29"): 15, ("73008", "75_plus"): 14,
             ("73011", "18_29"): 30, ("73011", "75_plus"): 30}
    hidden = suppressed_table(inner, THRESHOLD, TOTAL)
    assert ("73065", "75_plus") in hidden and ("73065", "18_29") in hidden  # its row
    assert ("73008", "75_plus") in hidden  # its column: the smallest other cell
    assert ("73011", "18_29") not in hidden and ("73065", TOTAL) not in hidden


async def submit(surveys: AsyncClient, headers: dict[str, str], campaign_id: str, code: str, commune: str,
                 age_band: str, gender: str | None, aisance: int, phase: str | None = None) -> None:
    attributes: dict[str, Any] = {"commune_code": commune, "age_band": age_band}
    if gender is not None:
        attributes["gender"] = gender
    response = await surveys.post("/reponses", headers=headers, json={
        "campaign_id": campaign_id, "beneficiary_code": code, "consent": CONSENT, "phase": phase,
        "attributes": attributes, "answers": full_answers(aisance=aisance, outils=None), "complete": True})
    assert response.status_code == 201, response.text


async def test_aggregates_by_age_band_and_gender_keep_every_hidden_cell_secret(  # type: ignore[no-untyped-def]
        surveys: AsyncClient, coordinator, mediator, reader_key):
    campaign = await ready_campaign(surveys, coordinator)
    people = {("73065", "18_29"): 13, ("73065", "45_59"): 12, ("73065", "75_plus"): 3,
              ("73008", "18_29"): 12, ("73008", "45_59"): 4, ("73011", "18_29"): 14, ("73011", "45_59"): 12}
    levels, genders = cycle((1, 2, 3, 4)), cycle(("feminin", "masculin", None))
    truth: Counter[tuple[str, str]] = Counter()
    number = 0
    for (commune, band), count in people.items():
        for _ in range(count):
            number += 1
            gender = next(genders)
            truth[(commune, gender or "inconnu")] += 1
            await submit(surveys, mediator, campaign["id"], f"V-{number}", commune, band, gender, next(levels))
    # Two follow-ups of one person: two responses, one respondent.
    for _ in range(2):
        await submit(surveys, mediator, campaign["id"], "V-1", "73065", "18_29", "feminin", 4, phase="follow_up")

    for breakdown, expected in (("tranche_age", people), ("genre", dict(truth))):
        found = await surveys.get("/agregats", headers=reader_key, params={
            "referentiel": "toile-capacites", "questionnaire": "essai", "ventilation": breakdown})
        assert found.status_code == 200, found.text
        body = found.json()
        assert body["breakdown"] == breakdown and body["threshold"] == THRESHOLD
        cells = {(cell["territory"], cell["category"]): cell for cell in body["cells"]
                 if cell["dimension"] == "equipement" and cell["phase"] == "pre"}
        assert all(cell["breakdown"] == breakdown for cell in cells.values())
        full = table_with_margins(expected)
        assert set(cells) == set(full)
        for key, cell in cells.items():
            if not cell["suppressed"]:
                assert cell["respondents"] == full[key] >= THRESHOLD
        assert_nothing_recoverable(expected, {key for key, cell in cells.items() if cell["suppressed"]}, THRESHOLD)
        # The territories' totals are the territory aggregates' cells; the grand total, everyone.
        assert cells[("73065", TOTAL)]["respondents"] == 28 and cells[(TOTAL, TOTAL)]["respondents"] == 70
        # A total's distribution never gives a hidden level count by difference with its published cells.
        for members, total in lines({row for row, _ in expected}, {column for _, column in expected}):
            if cells[total]["suppressed"]:
                continue
            for level, count in cells[total]["distribution"].items():
                if count is None:
                    continue
                shown = sum((cells[member]["distribution"] or {}).get(level) or 0
                            for member in members if member in cells and not cells[member]["suppressed"])
                assert count - shown == 0 or count - shown >= THRESHOLD, (total, level, count, shown)

    by_age = (await surveys.get("/agregats", headers=reader_key, params={
        "referentiel": "toile-capacites", "questionnaire": "essai", "ventilation": "tranche_age"})).json()
    age = {(cell["territory"], cell["category"]): cell for cell in by_age["cells"] if cell["dimension"] == "equipement"
           and cell["phase"] == "pre"}
    assert age[("73065", "75_plus")]["suppressed"] and age[(TOTAL, "75_plus")]["suppressed"]  # 3 people
    assert age[("73008", "45_59")]["suppressed"] and age[("73008", "18_29")]["suppressed"]  # 4, then its partner
    assert not age[("73011", "18_29")]["suppressed"] and age[("73011", "18_29")]["respondents"] == 14
    follow_up = {(cell["territory"], cell["category"]): cell for cell in by_age["cells"]
                 if cell["dimension"] == "equipement" and cell["phase"] == "follow_up"}
    assert follow_up[(TOTAL, TOTAL)]["suppressed"]  # one person, whatever the responses
    plain = (await surveys.get("/agregats", headers=reader_key, params={
        "referentiel": "toile-capacites", "questionnaire": "essai", "seuil": 5})).json()
    assert plain["breakdown"] is None and all(cell["category"] is None for cell in plain["cells"])
    assert (await surveys.get("/agregats", headers=reader_key, params={
        "referentiel": "toile-capacites", "ventilation": "revenu"})).status_code == 422

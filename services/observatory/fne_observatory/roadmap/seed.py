"""Loads the roadmap's data file (axes, objectives, their indicators and milestones) and the reference
indicator catalogue. Idempotent: wording comes from the files; statuses, targets set by the comité, recorded
values and milestone progress are kept."""

import json
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from fne_observatory.indicators.schemas import IndicatorIn
from fne_observatory.indicators.service import upsert_reference_indicator
from fne_observatory.roadmap.models import Axis, Milestone, Objective, RoadmapIndicator

ROADMAP_FILE = "feuille-de-route-fne-savoie-2024-2027.json"
CATALOGUE_FILE = "indicateurs.json"


@dataclass
class SeedReport:
    axes: int
    objectives: int
    roadmap_indicators: int
    milestones: int
    catalogue: int


def read_data_file(name: str) -> dict[str, Any]:
    return json.loads((files("fne_observatory") / "data" / name).read_text(encoding="utf-8"))


async def _seed_roadmap(session: AsyncSession, roadmap: dict[str, Any]) -> tuple[int, int]:
    indicators = milestones = 0
    for axis_data in roadmap["axes"]:
        axis = await session.get(Axis, axis_data["numero"]) or Axis(number=axis_data["numero"])
        axis.title, axis.summary, axis.priorities = (
            axis_data["titre"],
            axis_data["resume"],
            axis_data["priorites"],
        )
        session.add(axis)
    await session.flush()
    axis_of = {
        number: axis["numero"]
        for axis in roadmap["axes"]
        for number in range(axis["objectifs"][0], axis["objectifs"][1] + 1)
    }
    for data in roadmap["objectifs"]:
        objective = await session.get(Objective, data["numero"]) or Objective(number=data["numero"])
        objective.axis_number, objective.title = axis_of[data["numero"]], data["titre"]
        objective.aims = data["objectifs_strategiques"]
        objective.actions = [*data["description"], *data["actions"]]
        objective.actors = data["acteurs"]
        session.add(objective)
    await session.flush()
    for data in roadmap["objectifs"]:
        for position, entry in enumerate(data["indicateurs"], 1):
            identifier = f"{data['numero']}.{position}"
            indicator = await session.get(RoadmapIndicator, identifier)
            if indicator is None:
                indicator = RoadmapIndicator(
                    id=identifier,
                    objective_number=data["numero"],
                    position=position,
                    from_data_file=True,
                    target=entry.get("cible"),
                    target_text=entry.get("cible_texte") or entry.get("detail"),
                    target_date=date.fromisoformat(entry["echeance"]) if entry.get("echeance") else None,
                )
            indicator.label, indicator.kind = entry["libelle"], entry["nature"]
            indicator.unit = entry.get("unite")
            session.add(indicator)
            indicators += 1
        for entry in data["jalons"]:
            milestone = await session.get(Milestone, entry["id"]) or Milestone(id=entry["id"])
            milestone.objective_number, milestone.label = data["numero"], entry["libelle"]
            milestone.due_label, milestone.due_date = (
                entry["echeance_texte"],
                date.fromisoformat(entry["echeance"]),
            )
            session.add(milestone)
            milestones += 1
    return indicators, milestones


async def seed_reference(session: AsyncSession) -> SeedReport:
    """The roadmap first: catalogue indicators name the objectives they serve, roadmap indicators the
    catalogue indicators they read (hence two flushes around the catalogue)."""
    roadmap = read_data_file(ROADMAP_FILE)
    catalogue = read_data_file(CATALOGUE_FILE)["indicateurs"]
    links = {}
    for data in roadmap["objectifs"]:
        for entry in data["indicateurs"]:
            links[entry["libelle"]] = entry.pop("indicateur_catalogue", None)
    indicators, milestones = await _seed_roadmap(session, roadmap)
    await session.flush()
    for entry in catalogue:
        await upsert_reference_indicator(session, IndicatorIn.model_validate(entry), entry["producteur"])
    await session.flush()
    for data in roadmap["objectifs"]:
        for position, entry in enumerate(data["indicateurs"], 1):
            if links.get(entry["libelle"]):
                indicator = await session.get(RoadmapIndicator, f"{data['numero']}.{position}")
                assert indicator is not None
                indicator.catalogue_indicator = links[entry["libelle"]]
    await session.flush()
    return SeedReport(len(roadmap["axes"]), len(roadmap["objectifs"]), indicators, milestones, len(catalogue))

"""La Coop's figures as observations: activities by commune and month (and by year for the roadmap's
figures), beneficiaries by department and year.

An activity's commune: its structure's (GET /structures) when it took place in a place of activity,
otherwise the commune given with it (at home, at a distance, elsewhere). Activities whose commune is
unknown or outside the loaded territories are counted in the report and left out. Values are sums per
commune × month; the EPCI, department and higher values are their aggregates (with statistical secrecy
under 5 for counts of people)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fne_observatory.coop.client import CoopActivity, CoopClient
from fne_observatory.territories.models import Level

EQUIPMENT, SECURITY = "prendre_en_main_du_materiel", "securite_numerique"
PLACE_OF_ACTIVITY, COLLECTIVE = "lieu_activite", "collectif"


@dataclass
class CoopFigures:
    activities: list[CoopActivity]
    structures: dict[str, str | None]
    beneficiaries: dict[int, int] = field(default_factory=dict)  # year → people accompanied by conseillers


async def read(client: CoopClient, since: date, department: str, today: date) -> CoopFigures:
    """Everything first (structures, activities, yearly statistics): a failure stores nothing."""
    structures = await client.structures()
    activities = await client.activities(datetime(since.year, since.month, since.day))
    figures = CoopFigures(activities, structures)
    for year in range(since.year, today.year + 1):
        figures.beneficiaries[year] = await client.beneficiaries(department, year, conseiller_numerique=True)
    return figures


def _row(code: str, period: str, level: str, territory: str, value: float) -> dict[str, Any]:
    return {
        "indicator_code": code,
        "period": period,
        "territory_level": level,
        "territory_code": territory,
        "value": value,
        "numerator": None,
        "denominator": None,
        "weight": None,
        "source_secret": False,
        "method": None,
    }


def observations(
    figures: CoopFigures, known: set[str], department: str
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    sums: dict[tuple[str, str, str], float] = defaultdict(float)
    skipped: Counter[str] = Counter()
    for activity in figures.activities:
        commune = (
            figures.structures.get(activity.structure_id or "")
            if activity.type_lieu == PLACE_OF_ACTIVITY
            else activity.code_insee
        )
        if not commune:
            skipped["commune_inconnue"] += 1
            continue
        if commune not in known:
            skipped["hors_territoire"] += 1
            continue
        # Monthly series by commune; the roadmap's figures by year.
        month, year = activity.day.strftime("%Y-%m"), str(activity.day.year)
        sums[("coop_accompagnements", month, commune)] += activity.accompagnements
        if activity.type_lieu == PLACE_OF_ACTIVITY:
            sums[("coop_accompagnements_lieux", year, commune)] += activity.accompagnements
        if EQUIPMENT in activity.thematiques:
            sums[("coop_accompagnements_materiel", year, commune)] += activity.accompagnements
        if activity.type == COLLECTIVE:
            sums[("coop_activites_collectives", month, commune)] += 1
            if SECURITY in activity.thematiques:
                sums[("coop_ateliers_securite_numerique", year, commune)] += 1
    # La Coop records every activity of the département's conseillers: a commune of the département
    # without any is a true 0, not a gap (its coverage would otherwise hide the EPCI's value).
    in_department = sorted(code for code in known if code.startswith(department))
    for code, period in {(code, period) for code, period, _commune in sums}:
        for commune in in_department:
            sums.setdefault((code, period, commune), 0.0)
    rows = [
        _row(code, month, Level.COMMUNE.value, commune, value)
        for (code, month, commune), value in sorted(sums.items())
    ]
    rows += [
        _row("coop_beneficiaires_conseillers", str(year), Level.DEPARTMENT.value, department, count)
        for year, count in sorted(figures.beneficiaries.items())
    ]
    report = {
        "activites_lues": len(figures.activities),
        "activites_comptees": len(figures.activities) - sum(skipped.values()),
        "activites_ecartees": dict(skipped),
        "structures": len(figures.structures),
        "beneficiaires_par_annee": {
            str(year): count for year, count in sorted(figures.beneficiaries.items())
        },
    }
    return rows, report

"""The report of a committee meeting: each objective's status, indicators (value at the meeting, value at the
previous meeting of the same kind, trend, target), milestones, and what changed in between. HTML ready to
print (A4), and CSV."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.db import utcnow
from fne_kernel.spreadsheets import safe_cell
from fne_observatory.roadmap.models import Axis, Meeting, MeetingKind, ObjectiveStatus
from fne_observatory.roadmap.schemas import (
    MilestoneOut,
    RoadmapIndicatorOut,
    RoadmapValueOut,
    StatusChangeOut,
)
from fne_observatory.roadmap.service import (
    indicator_out,
    load_scoreboard,
    milestone_out,
    previous_meeting,
    status_at,
)

STATUS_LABELS = {
    ObjectiveStatus.NOT_STARTED: "Non démarré",
    ObjectiveStatus.IN_PROGRESS: "En cours",
    ObjectiveStatus.LATE: "En retard",
    ObjectiveStatus.ACHIEVED: "Atteint",
    ObjectiveStatus.ABANDONED: "Abandonné",
}
TREND_LABELS = {
    "hausse": "↗ hausse",
    "baisse": "↘ baisse",
    "stable": "→ stable",
    "nouveau": "✦ nouveau",
    "sans_donnee": "— sans donnée",
}
KIND_LABELS = {
    MeetingKind.STEERING_COMMITTEE: "Comité de suivi",
    MeetingKind.TECHNICAL_COMMITTEE: "Comité technique",
}
CSV_COLUMNS = (
    "axe",
    "objectif",
    "titre_objectif",
    "statut",
    "statut_precedent",
    "indicateur",
    "libelle",
    "valeur",
    "date_valeur",
    "valeur_reunion_precedente",
    "date_valeur_precedente",
    "tendance",
    "cible",
    "echeance",
    "avancement",
    "commentaire",
    "preuves",
)

environment = Environment(
    loader=PackageLoader("fne_observatory.roadmap", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass
class ObjectiveReport:
    number: int
    title: str
    status: ObjectiveStatus
    previous_status: ObjectiveStatus | None
    indicators: list[RoadmapIndicatorOut]
    milestones: list[MilestoneOut]
    status_changes: list[StatusChangeOut] = field(default_factory=list)
    new_values: list[tuple[str, RoadmapValueOut]] = field(default_factory=list)
    reached: list[MilestoneOut] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.status_changes or self.new_values or self.reached)


@dataclass
class Report:
    meeting: Meeting
    previous: Meeting | None
    axes: list[tuple[Axis, list[ObjectiveReport]]]
    focus: str
    generated_at: datetime

    @property
    def since(self) -> date | None:
        return self.previous.held_on if self.previous else None

    def counts(self) -> dict[str, int]:
        objectives = [objective for _, group in self.axes for objective in group]
        return {
            "objectifs": len(objectives),
            **{
                STATUS_LABELS[status]: sum(1 for o in objectives if o.status == status)
                for status in ObjectiveStatus
            },
            "indicateurs renseignés": sum(1 for o in objectives for i in o.indicators if i.derniere_valeur),
            "indicateurs": sum(len(o.indicators) for o in objectives),
            "jalons en retard": sum(1 for o in objectives for m in o.milestones if m.en_retard),
            "objectifs ayant évolué": sum(1 for o in objectives if o.changed),
        }


def _in_window(day: date, since: date | None, until: date) -> bool:
    return (since is None or day > since) and day <= until


async def build_report(session: AsyncSession, meeting: Meeting, focus: str) -> Report:
    previous = await previous_meeting(session, meeting)
    day, since = meeting.held_on, previous.held_on if previous else None
    board = await load_scoreboard(session, focus)
    by_axis: dict[int, list[ObjectiveReport]] = {axis.number: [] for axis in board.axes}
    for objective in board.objectives:
        changes = board.changes[objective.number]
        report = ObjectiveReport(
            number=objective.number,
            title=objective.title,
            status=status_at(objective, changes, day),
            previous_status=status_at(objective, changes, since) if since else None,
            indicators=[
                indicator_out(indicator, board.values[indicator.id], day, since)
                for indicator in board.indicators[objective.number]
            ],
            milestones=[milestone_out(milestone, day) for milestone in board.milestones[objective.number]],
        )
        report.status_changes = [
            StatusChangeOut(
                statut_precedent=change.previous_status,
                statut=change.status,
                commentaire=change.comment,
                le=change.changed_at,
                par=change.changed_by,
            )
            for change in changes
            if _in_window(change.changed_at.date(), since, day)
        ]
        report.new_values = [
            (indicator.label, value)
            for indicator in board.indicators[objective.number]
            for value in board.values[indicator.id]
            if _in_window(value.date, since, day)
        ]
        report.reached = [
            milestone
            for milestone in report.milestones
            if milestone.atteint_le and _in_window(milestone.atteint_le, since, day)
        ]
        by_axis[objective.axis_number].append(report)
    return Report(meeting, previous, [(axis, by_axis[axis.number]) for axis in board.axes], focus, utcnow())


def _number(value: float | None) -> str:
    if value is None:
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    return text.replace(",", "\u202f").replace(".", ",")


def _shown(value: RoadmapValueOut | None) -> str:
    if value is None:
        return "—"
    return _number(value.valeur) if value.valeur is not None else (value.texte or "")


environment.filters["nombre"] = _number
environment.filters["valeur"] = _shown
environment.filters["date_fr"] = lambda day: day.strftime("%d/%m/%Y") if day else ""


def render_html(report: Report) -> str:
    return environment.get_template("rapport.html").render(
        report=report,
        counts=report.counts(),
        statuses=STATUS_LABELS,
        trends=TREND_LABELS,
        kind=KIND_LABELS[MeetingKind(report.meeting.kind)],
    )


def render_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for axis, objectives in report.axes:
        for objective in objectives:
            for indicator in objective.indicators:
                current, previous = indicator.derniere_valeur, indicator.valeur_precedente
                writer.writerow(
                    {
                        name: safe_cell(value)
                        for name, value in {
                            "axe": axis.number,
                            "objectif": objective.number,
                            "titre_objectif": objective.title,
                            "statut": objective.status.value,
                            "statut_precedent": objective.previous_status.value
                            if objective.previous_status
                            else "",
                            "indicateur": indicator.id,
                            "libelle": indicator.libelle,
                            "valeur": _raw(current),
                            "date_valeur": current.date.isoformat() if current else "",
                            "valeur_reunion_precedente": _raw(previous),
                            "date_valeur_precedente": previous.date.isoformat() if previous else "",
                            "tendance": indicator.tendance,
                            "cible": indicator.cible if indicator.cible is not None else "",
                            "echeance": indicator.echeance.isoformat() if indicator.echeance else "",
                            "avancement": indicator.avancement if indicator.avancement is not None else "",
                            "commentaire": current.commentaire or "" if current else "",
                            "preuves": " ".join(str(evidence.url) for evidence in current.preuves)
                            if current
                            else "",
                        }.items()
                    }
                )
    return buffer.getvalue().encode("utf-8")


def _raw(value: RoadmapValueOut | None) -> str | float:
    if value is None:
        return ""
    return value.valeur if value.valeur is not None else value.texte or ""

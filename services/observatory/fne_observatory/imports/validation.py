"""Checking an uploaded table against its mapping, the catalogue and the reference territories.

Two stages. The mapping first: unknown indicators, missing columns, a period that does not fit the
indicator's periodicity — a 422 naming the field, before any row is read. Then every row: unknown, outdated or
duplicated codes, non-numeric or out-of-range values — a validation report with line numbers; any error there
and nothing is stored. Missing communes (of the departments the file covers) and empty cells are warnings.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.errors import InvalidInput, field_error
from fne_observatory.imports.reader import Table, cell_text, parse_number
from fne_observatory.imports.schemas import ColumnMapping, ImportParameters
from fne_observatory.indicators.models import Aggregation, Indicator, Periodicity
from fne_observatory.indicators.periods import is_period
from fne_observatory.territories.models import CommuneAlias, Level, Territory

MAX_LISTED = 200  # issues listed one by one in a report; all are counted
PERIODICITY = {
    Periodicity.YEARLY: re.compile(r"^\d{4}$"),
    Periodicity.QUARTERLY: re.compile(r"^\d{4}-T[1-4]$"),
    Periodicity.MONTHLY: re.compile(r"^\d{4}-\d{2}$"),
}
CODE_WIDTH = {Level.COMMUNE: 5, Level.DEPARTMENT: 2, Level.REGION: 2}


@dataclass
class Issue:
    kind: str
    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            key: value
            for key, value in (
                ("type", self.kind),
                ("ligne", self.line),
                ("colonne", self.column),
                ("valeur", self.value),
                ("message", self.message),
            )
            if value is not None
        }


@dataclass
class Validated:
    observations: list[dict[str, Any]]
    report: dict[str, Any]
    pairs: set[tuple[str, str]] = field(default_factory=set)

    @property
    def valid(self) -> bool:
        return bool(self.report["valide"])


async def check_mapping(
    session: AsyncSession, parameters: ImportParameters, table: Table
) -> dict[str, tuple[Indicator, ColumnMapping]]:
    errors = []
    columns = set(table.columns)

    def column_error(field_name: str, column: str) -> None:
        close = [name for name in table.columns if name.lower() == column.lower()]
        hint = f" (voulez-vous dire {close[0]!r} ?)" if close else ""
        errors.append(
            field_error(
                f"parametres.{field_name}",
                f"colonne {column!r} absente du fichier{hint}",
                colonnes=table.columns,
            )
        )

    for name in ("colonne_code", "colonne_periode"):
        column = getattr(parameters, name)
        if column is not None and column not in columns:
            column_error(name, column)
    mapped: dict[str, tuple[Indicator, ColumnMapping]] = {}
    for code, mapping in parameters.mappings().items():
        where = f"indicateurs.{code}"
        indicator = await session.get(Indicator, code)
        if indicator is None:
            errors.append(field_error(f"parametres.{where}", f"indicateur {code!r} absent du catalogue"))
            continue
        if indicator.producer != "import":
            errors.append(
                field_error(
                    f"parametres.{where}",
                    f"{code} est calculé par l'observatoire ({indicator.producer}) : il ne s'importe pas",
                )
            )
        if parameters.niveau.value not in indicator.levels:
            errors.append(
                field_error(
                    f"parametres.{where}", f"{code} n'est pas publié au niveau {parameters.niveau.value}"
                )
            )
        is_ratio = indicator.aggregation == Aggregation.RATIO
        if is_ratio and mapping.numerateur is None:
            errors.append(
                field_error(
                    f"parametres.{where}",
                    f"{code} est un ratio : donnez ses colonnes `numerateur` et `denominateur`",
                )
            )
        if not is_ratio and mapping.numerateur is not None:
            errors.append(
                field_error(f"parametres.{where}", f"{code} ne s'agrège pas en ratio : donnez `valeur`")
            )
        if mapping.poids is not None and indicator.aggregation != Aggregation.WEIGHTED_MEAN:
            errors.append(field_error(f"parametres.{where}", "`poids` ne sert qu'aux moyennes pondérées"))
        if parameters.periode and not _fits(indicator, parameters.periode):
            errors.append(
                field_error(
                    "parametres.periode",
                    f"{code} est de périodicité {indicator.periodicity} : "
                    f"période {parameters.periode!r} inadaptée",
                )
            )
        for column in mapping.columns():
            if column not in columns:
                column_error(where, column)
        mapped[code] = (indicator, mapping)
    if errors:
        raise InvalidInput(errors)
    return mapped


def _fits(indicator: Indicator, period: str) -> bool:
    pattern = PERIODICITY.get(Periodicity(indicator.periodicity))
    return pattern is None or bool(pattern.match(period))


def _normalised_code(level: Level, raw: str) -> str:
    code = raw.strip().upper()
    width = CODE_WIDTH.get(level)
    if width and code.isdigit() and len(code) < width:
        return code.zfill(width)
    return code


class Report:
    def __init__(self) -> None:
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.error_counts: Counter[str] = Counter()
        self.warning_counts: Counter[str] = Counter()

    def error(self, issue: Issue) -> None:
        self.error_counts[issue.kind] += 1
        if len(self.errors) < MAX_LISTED:
            self.errors.append(issue)

    def warning(self, issue: Issue) -> None:
        self.warning_counts[issue.kind] += 1
        if len(self.warnings) < MAX_LISTED:
            self.warnings.append(issue)


async def validate(
    session: AsyncSession, parameters: ImportParameters, table: Table, file_details: dict[str, Any]
) -> Validated:
    mapped = await check_mapping(session, parameters, table)
    level = parameters.niveau
    known = {
        code: department
        for code, department in await session.execute(
            select(Territory.code, Territory.departement_code).where(Territory.level == level)
        )
    }
    aliases = (
        {alias.code: alias for alias in await session.scalars(select(CommuneAlias))}
        if level == Level.COMMUNE
        else {}
    )
    position = {name: index for index, name in enumerate(table.columns)}
    report = Report()
    observations: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    covered_departments: set[str] = set()
    stats: dict[str, list[float]] = defaultdict(list)

    for offset, row in enumerate(table.rows):
        line = offset + 2  # the header is line 1

        def cell(column: str) -> Any:
            index = position[column]
            return row[index] if index < len(row) else None  # noqa: B023 (called within this iteration)

        raw_code = cell_text(cell(parameters.colonne_code))
        code = _normalised_code(level, raw_code)
        if not code:
            report.error(Issue("code-manquant", "code de territoire vide", line, parameters.colonne_code))
            continue
        if code != raw_code.strip():
            report.warning(
                Issue(
                    "code-complete",
                    f"code {raw_code!r} lu comme {code} (zéro initial perdu)",
                    line,
                    parameters.colonne_code,
                    raw_code,
                )
            )
        if code not in known:
            alias = aliases.get(code)
            if alias is not None:
                kind = "arrondissement municipal" if alias.kind == "ARM" else "ancienne commune"
                report.error(
                    Issue(
                        "code-perime",
                        f"{code} ({alias.nom}) est un {kind} de la commune "
                        f"{alias.commune_code} : donnez la valeur de la commune actuelle",
                        line,
                        parameters.colonne_code,
                        code,
                    )
                )
            else:
                report.error(
                    Issue(
                        "code-inconnu",
                        f"aucun territoire {level.value} de code {code} dans le référentiel chargé",
                        line,
                        parameters.colonne_code,
                        code,
                    )
                )
            continue
        period = parameters.periode or cell_text(cell(parameters.colonne_periode or ""))
        if not is_period(period):
            report.error(
                Issue(
                    "periode-invalide",
                    "période attendue : AAAA, AAAA-T1…T4, AAAA-MM ou AAAA-MM-JJ",
                    line,
                    parameters.colonne_periode,
                    period,
                )
            )
            continue
        unfit = sorted(
            indicator_code
            for indicator_code, (indicator, _) in mapped.items()
            if not _fits(indicator, period)
        )
        if unfit:
            report.error(
                Issue(
                    "periode-inadaptee",
                    f"période {period} inadaptée à la périodicité de {', '.join(unfit)}",
                    line,
                    parameters.colonne_periode,
                    period,
                )
            )
            continue
        if (code, period) in seen:
            report.error(
                Issue(
                    "doublon",
                    f"{code} en {period} figure déjà ligne {seen[(code, period)]}",
                    line,
                    parameters.colonne_code,
                    code,
                )
            )
            continue
        seen[(code, period)] = line
        if department := known[code]:
            covered_departments.add(department)
        for indicator_code, (indicator, mapping) in mapped.items():
            observation = _observation(report, line, cell, indicator, mapping)
            if observation is None:
                continue
            observations.append(
                {
                    "indicator_code": indicator_code,
                    "period": period,
                    "territory_level": level.value,
                    "territory_code": code,
                    **observation,
                }
            )
            if observation["value"] is not None:
                stats[indicator_code].append(observation["value"])

    missing: list[str] = []
    if level == Level.COMMUNE and covered_departments:
        present = {code for code, _ in seen}
        missing = sorted(
            code
            for code, department in known.items()
            if department in covered_departments and code not in present
        )
        for code in missing:
            report.warning(Issue("commune-manquante", f"commune {code} absente du fichier", value=code))
    periods = sorted({period for _, period in seen})
    summary = {
        "lignes": len(table.rows),
        "observations": len(observations),
        "periodes": periods,
        "departements_couverts": sorted(covered_departments),
        "communes_manquantes": len(missing),
        "erreurs": dict(sorted(report.error_counts.items())),
        "avertissements": dict(sorted(report.warning_counts.items())),
        "indicateurs": {
            code: {"valeurs": len(values), "minimum": min(values), "maximum": max(values)}
            if values
            else {"valeurs": 0}
            for code, values in ((code, stats[code]) for code in mapped)
        },
    }
    validated = Validated(
        observations,
        {
            "valide": not report.errors,
            "fichier": {**file_details, "colonnes": table.columns},
            "resume": summary,
            "erreurs": [issue.as_dict() for issue in report.errors],
            "avertissements": [issue.as_dict() for issue in report.warnings],
        },
    )
    validated.pairs = {(code, period) for code in mapped for period in periods}
    return validated


def _observation(
    report: Report, line: int, cell: Any, indicator: Indicator, mapping: ColumnMapping
) -> dict[str, Any] | None:
    """The observation of one indicator on one line, or None (reported) when it has no usable value."""
    numbers: dict[str, float | None] = {}
    for role in ("valeur", "numerateur", "denominateur", "poids"):
        column = getattr(mapping, role)
        if column is None:
            continue
        raw = cell(column)
        try:
            parsed = parse_number(raw)
        except ValueError:
            report.error(
                Issue(
                    "non-numerique",
                    f"{role} de {indicator.code} : nombre attendu",
                    line,
                    column,
                    cell_text(raw),
                )
            )
            return None
        if parsed == "secret":
            return {
                "value": None,
                "numerator": None,
                "denominator": None,
                "weight": None,
                "source_secret": True,
            }
        if parsed is None:
            report.warning(
                Issue("valeur-manquante", f"{role} de {indicator.code} vide : pas de valeur", line, column)
            )
            return None
        numbers[role] = float(parsed)
    value = numbers.get("valeur")
    numerator, denominator = numbers.get("numerateur"), numbers.get("denominateur")
    if numerator is not None and denominator is not None:
        if denominator <= 0 or numerator < 0:
            report.error(
                Issue(
                    "ratio-invalide",
                    f"{indicator.code} : numérateur ≥ 0 et dénominateur > 0 attendus",
                    line,
                    mapping.denominateur,
                    f"{numerator}/{denominator}",
                )
            )
            return None
        value = numerator / denominator * indicator.scale
    weight = numbers.get("poids")
    if weight is not None and weight < 0:
        report.error(
            Issue("hors-bornes", f"poids de {indicator.code} négatif", line, mapping.poids, str(weight))
        )
        return None
    assert value is not None
    if (indicator.minimum is not None and value < indicator.minimum) or (
        indicator.maximum is not None and value > indicator.maximum
    ):
        report.error(
            Issue(
                "hors-bornes",
                f"{indicator.code} attendu entre {indicator.minimum} et {indicator.maximum}",
                line,
                mapping.valeur or mapping.numerateur,
                str(value),
            )
        )
        return None
    return {
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "weight": weight,
        "source_secret": False,
    }

"""XLSForm-like import and export: the `survey`, `choices` and `settings` sheets coordinators know from ODK
and KoboToolbox, as JSON (one object per row) or as an .xlsx workbook, plus a `scoring` sheet for our rules.

Mapping: single/multiple choice ↔ `select_one list` / `select_multiple list`; scale ↔ `range` with
`parameters` "start=1 end=4"; yes/no ↔ `select_one yes_no` (the list with exactly `yes` and `no`); integer,
decimal, date, text, note keep their names, bounds in `parameters` ("min=0 max=120", "max-length=200"); a grid
↔ a `begin_group` with appearance `table-list` whose rows are the items. Labels are `label::fr`, `label::en`…
"""

import io
from typing import Any
from zipfile import BadZipFile

from fne_kernel.errors import field_error
from fne_surveys.questionnaires.definition import Definition, Question, QuestionType

FORMAT = "fne-xlsform/1"
SHEETS = ("settings", "survey", "choices", "scoring")
YES_NO_LIST = "yes_no"
_SIMPLE_TYPES = {
    QuestionType.INTEGER: "integer",
    QuestionType.DECIMAL: "decimal",
    QuestionType.DATE: "date",
    QuestionType.TEXT: "text",
    QuestionType.NOTE: "note",
}
_SIMPLE_BY_NAME = {name: kind for kind, name in _SIMPLE_TYPES.items()}
_TRANSLATED = ("label", "hint", "constraint_message")


class XLSFormError(ValueError):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} erreur(s) dans le formulaire")
        self.errors = errors


def _labels(row: dict[str, Any], column: str) -> dict[str, str] | None:
    found = {
        name.split("::", 1)[1]: str(value)
        for name, value in row.items()
        if name.startswith(f"{column}::") and value not in (None, "")
    }
    if not found and row.get(column) not in (None, ""):
        found = {"fr": str(row[column])}
    return found or None


def _translated(column: str, labels: dict[str, str] | None) -> dict[str, str]:
    return {f"{column}::{language}": text for language, text in (labels or {}).items()}


def _number_text(value: float) -> str:
    return f"{value:g}"


def _parameters(question: Question) -> str:
    if question.type == QuestionType.SCALE or (question.type == QuestionType.GRID and not question.choices):
        assert question.minimum is not None and question.maximum is not None
        return f"start={_number_text(question.minimum)} end={_number_text(question.maximum)} step=1"
    bounds = {"min": question.minimum, "max": question.maximum}
    if question.type == QuestionType.DATE:
        bounds = {"min": question.min_date, "max": question.max_date}  # type: ignore[dict-item]
    parts = [
        f"{name}={_number_text(value) if isinstance(value, float) else value}"
        for name, value in bounds.items()
        if value is not None
    ]
    if question.max_length is not None:
        parts.append(f"max-length={question.max_length}")
    return " ".join(parts)


def _common(question: Question) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": question.key,
        **_translated("label", question.label),
        **_translated("hint", question.hint),
    }
    if question.required:
        row["required"] = "yes"
    for column in ("relevant", "constraint"):
        if getattr(question, column):
            row[column] = getattr(question, column)
    row |= _translated("constraint_message", question.constraint_message)
    parameters = _parameters(question)
    if parameters:
        row["parameters"] = parameters
    return row


def to_xlsform(definition: Definition, version: int | None = None) -> dict[str, Any]:
    """The definition as XLSForm sheets (lists of rows)."""
    survey: list[dict[str, Any]] = []
    choices: list[dict[str, Any]] = []

    def choice_list(name: str, question: Question) -> str:
        choices.extend(
            {"list_name": name, "name": choice.value, **_translated("label", choice.label)}
            for choice in question.choices
        )
        return name

    uses_yes_no = False
    for question in definition.questions:
        row = _common(question)
        if question.type in _SIMPLE_TYPES:
            survey.append({"type": _SIMPLE_TYPES[question.type], **row})
        elif question.type == QuestionType.SCALE:
            survey.append({"type": "range", **row})
        elif question.type == QuestionType.YES_NO:
            uses_yes_no = True
            survey.append({"type": f"select_one {YES_NO_LIST}", **row})
        elif question.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
            kind = "select_one" if question.type == QuestionType.SINGLE_CHOICE else "select_multiple"
            survey.append({"type": f"{kind} {choice_list(question.key, question)}", **row})
        else:
            row_type = f"select_one {choice_list(question.key, question)}" if question.choices else "range"
            parameters = row.pop("parameters", None)
            survey.append({"type": "begin_group", "appearance": "table-list", **row})
            for item in question.items:
                survey.append(
                    {
                        "type": row_type,
                        "name": item.key,
                        **_translated("label", item.label),
                        **({"parameters": parameters} if parameters else {}),
                    }
                )
            survey.append({"type": "end_group", "name": question.key})
    if uses_yes_no:
        choices += [
            {"list_name": YES_NO_LIST, "name": "yes", "label::fr": "Oui", "label::en": "Yes"},
            {"list_name": YES_NO_LIST, "name": "no", "label::fr": "Non", "label::en": "No"},
        ]
    settings: dict[str, Any] = {
        "format": FORMAT,
        "form_id": definition.code,
        "default_language": "fr",
        "mode": definition.mode,
        **_translated("form_title", definition.title),
        **_translated("description", definition.description),
    }
    if version is not None:
        settings["version"] = version
    document: dict[str, Any] = {"settings": [settings], "survey": survey, "choices": choices, "scoring": []}
    if definition.scoring is not None:
        settings["scoring_version"] = definition.scoring.version
        settings["scoring_frameworks"] = " ".join(
            f"{code}={version}" for code, version in definition.scoring.frameworks.items()
        )
        for rule in definition.scoring.rules:
            row = {
                "question": rule.question,
                "dimension": rule.dimension,
                "kind": rule.kind.value,
                "weight": rule.weight,
            }
            if rule.points:
                row["points"] = " ".join(
                    f"{value}={_number_text(points)}" for value, points in rule.points.items()
                )
            if rule.cap is not None:
                row["cap"] = rule.cap
            document["scoring"].append(row)
    return document


def _pairs(text: Any, field: str, errors: list[dict[str, Any]]) -> dict[str, str]:
    pairs = {}
    for part in str(text or "").split():
        name, equals, value = part.partition("=")
        if not equals or not name or not value:
            errors.append(field_error(field, f"« {part} » : nom=valeur attendu"))
            continue
        pairs[name] = value
    return pairs


def _number(value: str, field: str, errors: list[dict[str, Any]]) -> float | None:
    try:
        return float(value)
    except ValueError:
        errors.append(field_error(field, f"nombre attendu : {value}"))
        return None


def _apply_parameters(
    question: dict[str, Any], kind: str, text: Any, field: str, errors: list[dict[str, Any]]
) -> None:
    pairs = _pairs(text, field, errors)
    names = {
        "range": {"start": "minimum", "end": "maximum", "step": None},
        "date": {"min": "min_date", "max": "max_date"},
        "text": {"max-length": "max_length"},
    }.get(kind, {"min": "minimum", "max": "maximum"})
    for name, value in pairs.items():
        if name not in names:
            errors.append(
                field_error(field, f"paramètre inconnu pour {kind} : {name}", allowed=sorted(names))
            )
            continue
        target = names[name]
        if target is None:
            if value != "1":
                errors.append(field_error(field, "seul step=1 est pris en charge"))
        elif target in ("min_date", "max_date"):
            question[target] = value
        elif target == "max_length":
            question[target] = int(value) if value.isdigit() else value
        else:
            question[target] = _number(value, field, errors)


def _question_row(row: dict[str, Any]) -> dict[str, Any]:
    question: dict[str, Any] = {"key": row.get("name")}
    for column in _TRANSLATED:
        labels = _labels(row, column)
        if labels:
            question[column] = labels
    if str(row.get("required", "")).strip().lower() in ("yes", "true", "true()", "1", "oui"):
        question["required"] = True
    for column in ("relevant", "constraint"):
        if row.get(column) not in (None, ""):
            question[column] = str(row[column])
    return question


def from_xlsform(document: dict[str, Any]) -> dict[str, Any]:
    """The canonical definition payload of an XLSForm-like document (validated afterwards as a Definition).
    Raises XLSFormError naming the sheet, row and column of each structural problem."""
    errors: list[dict[str, Any]] = []
    if not isinstance(document, dict) or not isinstance(document.get("survey"), list):
        raise XLSFormError([field_error("survey", "feuille survey (liste de lignes) requise")])
    settings_rows = document.get("settings") or [{}]
    settings = settings_rows[0] if isinstance(settings_rows, list) and settings_rows else {}
    lists: dict[str, list[dict[str, Any]]] = {}
    for index, row in enumerate(document.get("choices") or []):
        if not isinstance(row, dict) or not row.get("list_name") or row.get("name") in (None, ""):
            errors.append(field_error(f"choices.{index}", "list_name et name requis"))
            continue
        lists.setdefault(str(row["list_name"]), []).append(
            {"value": str(row["name"]), "label": _labels(row, "label") or {"fr": str(row["name"])}}
        )

    questions: list[dict[str, Any]] = []
    group: dict[str, Any] | None = None
    for index, row in enumerate(document["survey"]):
        field = f"survey.{index}"
        if not isinstance(row, dict):
            errors.append(field_error(field, "ligne : objet attendu"))
            continue
        kind, _, list_name = str(row.get("type") or "").strip().partition(" ")
        list_name = list_name.strip()
        if kind == "begin_group":
            if group is not None:
                errors.append(field_error(f"{field}.type", "groupes imbriqués non pris en charge"))
            group = {**_question_row(row), "type": QuestionType.GRID.value, "items": []}
            continue
        if kind == "end_group":
            if group is None:
                errors.append(field_error(f"{field}.type", "end_group sans begin_group"))
            else:
                questions.append(group)
                group = None
            continue
        if kind in ("select_one", "select_multiple") and list_name not in lists:
            errors.append(
                field_error(f"{field}.type", f"liste de choix inconnue : {list_name}", allowed=sorted(lists))
            )
            continue
        if group is not None:
            if kind not in ("select_one", "range"):
                errors.append(
                    field_error(f"{field}.type", "les lignes d'une grille sont des select_one ou range")
                )
                continue
            group["items"].append({"key": row.get("name"), "label": _labels(row, "label") or {}})
            if kind == "select_one":
                group["choices"] = lists[list_name]
            else:
                _apply_parameters(group, "range", row.get("parameters"), f"{field}.parameters", errors)
            continue
        question = _question_row(row)
        if (
            kind == "select_one"
            and list_name == YES_NO_LIST
            and sorted(choice["value"] for choice in lists[list_name]) == ["no", "yes"]
        ):
            question["type"] = QuestionType.YES_NO.value
        elif kind in ("select_one", "select_multiple"):
            question["type"] = (
                QuestionType.SINGLE_CHOICE if kind == "select_one" else QuestionType.MULTIPLE_CHOICE
            ).value
            question["choices"] = lists[list_name]
        elif kind == "range":
            question["type"] = QuestionType.SCALE.value
        elif kind in _SIMPLE_BY_NAME:
            question["type"] = _SIMPLE_BY_NAME[kind].value
        else:
            errors.append(
                field_error(
                    f"{field}.type",
                    f"type inconnu : {kind or '(vide)'}",
                    allowed=[
                        "select_one",
                        "select_multiple",
                        "range",
                        "begin_group",
                        "end_group",
                        *_SIMPLE_BY_NAME,
                    ],
                )
            )
            continue
        if row.get("parameters") not in (None, ""):
            _apply_parameters(question, kind, row["parameters"], f"{field}.parameters", errors)
        questions.append(question)
    if group is not None:
        errors.append(field_error("survey", f"groupe {group.get('key')} sans end_group"))

    definition: dict[str, Any] = {
        "code": settings.get("form_id"),
        "questions": questions,
        "title": _labels(settings, "form_title") or {},
    }
    if settings.get("mode"):
        definition["mode"] = settings["mode"]
    description = _labels(settings, "description")
    if description:
        definition["description"] = description
    scoring_rows = document.get("scoring") or []
    if scoring_rows:
        rules = []
        for index, row in enumerate(scoring_rows):
            rule = {
                name: row[name]
                for name in ("question", "dimension", "kind", "weight", "cap")
                if row.get(name) not in (None, "")
            }
            if row.get("points") not in (None, ""):
                rule["points"] = {
                    name: _number(value, f"scoring.{index}.points", errors)
                    for name, value in _pairs(row["points"], f"scoring.{index}.points", errors).items()
                }
            rules.append(rule)
        definition["scoring"] = {
            "version": str(settings.get("scoring_version") or "1"),
            "frameworks": _pairs(settings.get("scoring_frameworks"), "settings.scoring_frameworks", errors),
            "rules": rules,
        }
    if errors:
        raise XLSFormError(errors)
    return definition


def to_workbook(document: dict[str, Any]) -> bytes:
    """The XLSForm document as an .xlsx workbook, one sheet per part, one column per field."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name in SHEETS:
        rows = document.get(name) or []
        sheet = workbook.create_sheet(name)
        columns = list(dict.fromkeys(column for row in rows for column in row))
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(column) for column in columns])
        # A round-trip format keeps exact values: text that looks like a formula is stored as text (never
        # computed) rather than prefixed with an apostrophe as in the other exports (fne_kernel.spreadsheets).
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def from_workbook(content: bytes) -> dict[str, Any]:
    """Reads an .xlsx XLSForm (as saved by Excel, LibreOffice or our export) into the JSON document."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise XLSFormError([field_error("fichier", "classeur .xlsx illisible")]) from exc
    document: dict[str, Any] = {}
    for name in SHEETS:
        if name not in workbook.sheetnames:
            continue
        rows = list(workbook[name].iter_rows(values_only=True))
        if not rows:
            continue
        header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
        document[name] = [
            {
                column: value
                for column, value in zip(header, row, strict=False)
                if column and value not in (None, "")
            }
            for row in rows[1:]
            if any(value not in (None, "") for value in row)
        ]
    return document

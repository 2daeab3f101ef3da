"""Checking answers against a questionnaire version: keys, types, bounds, constraints, skip logic,
required."""

import math
from datetime import date
from functools import lru_cache
from typing import Any

from fne_kernel.errors import field_error
from fne_surveys.questionnaires.definition import MAX_TEXT_LENGTH, Definition, Question, QuestionType
from fne_surveys.questionnaires.expressions import Expression, compile_expression

Answers = dict[str, Any]


@lru_cache(maxsize=4096)
def compiled(source: str) -> Expression:
    return compile_expression(source)


def _number_within(question: Question, value: Any, *, integer: bool) -> tuple[Any, str | None]:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None, "nombre attendu"
    if integer:
        if not float(value).is_integer():
            return None, "nombre entier attendu"
        value = int(value)
    if question.minimum is not None and value < question.minimum:
        return None, f"valeur inférieure au minimum ({question.minimum:g})"
    if question.maximum is not None and value > question.maximum:
        return None, f"valeur supérieure au maximum ({question.maximum:g})"
    return value, None


def _one_value(question: Question, value: Any) -> tuple[Any, str | None]:
    """A single answer (or one grid row) normalised, or the reason it is refused."""
    kind = question.type
    allowed = [choice.value for choice in question.choices]
    if kind == QuestionType.SINGLE_CHOICE or (kind == QuestionType.GRID and question.choices):
        if value not in allowed:
            return None, f"choix inconnu : {value!r}"
        return value, None
    if kind == QuestionType.MULTIPLE_CHOICE:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return None, "liste de choix attendue"
        unknown = [item for item in value if item not in allowed]
        if unknown:
            return None, f"choix inconnus : {unknown}"
        return list(dict.fromkeys(value)), None
    if kind in (QuestionType.SCALE, QuestionType.GRID, QuestionType.INTEGER):
        return _number_within(question, value, integer=True)
    if kind == QuestionType.DECIMAL:
        return _number_within(question, value, integer=False)
    if kind == QuestionType.YES_NO:
        return (value, None) if isinstance(value, bool) else (None, "true ou false attendu")
    if kind == QuestionType.DATE:
        try:
            day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
        except ValueError:
            day = None
        if day is None:
            return None, "date AAAA-MM-JJ attendue"
        if (question.min_date and day < question.min_date) or (question.max_date and day > question.max_date):
            return None, f"date hors de l'intervalle {question.min_date or '…'} – {question.max_date or '…'}"
        return day.isoformat(), None
    if kind == QuestionType.TEXT:
        if not isinstance(value, str):
            return None, "texte attendu"
        limit = question.max_length or MAX_TEXT_LENGTH
        if len(value) > limit:
            return None, f"texte trop long ({len(value)} caractères, {limit} au plus)"
        return value.strip() or None, None
    return None, "une note n'attend pas de réponse"


def _normalised(question: Question, value: Any) -> tuple[Any, list[tuple[str, str]]]:
    """The answer normalised, or the (field suffix, reason) pairs that refuse it."""
    if question.type != QuestionType.GRID:
        normal, reason = _one_value(question, value)
        return normal, [("", reason)] if reason else []
    if not isinstance(value, dict):
        return None, [("", "objet {ligne: réponse} attendu")]
    rows = {item.key for item in question.items}
    grid: dict[str, Any] = {}
    refused = []
    for row, row_value in value.items():
        if row not in rows:
            refused.append((f".{row}", f"ligne inconnue : {row}"))
        elif row_value is not None:
            normal, reason = _one_value(question, row_value)
            if reason:
                refused.append((f".{row}", reason))
            else:
                grid[row] = normal
    return grid or None, refused


def _constraint_failure(question: Question, value: Any, answers: Answers) -> str | None:
    if question.constraint is None or value is None:
        return None
    if compiled(question.constraint).holds(answers, value):
        return None
    message = (question.constraint_message or {}).get("fr")
    return message or f"la réponse ne respecte pas la contrainte {question.constraint}"


def merge(definition: Definition, current: Answers, changes: Answers) -> tuple[Answers, list[dict[str, Any]]]:
    """Applies a partial save: `changes` answers keys (None clears one). Returns the new answers, or the
    errors (unknown keys, wrong types, out-of-bounds values, unmet constraints): nothing is applied when there
    are any."""
    errors = []
    merged = dict(current)
    for key, value in changes.items():
        question = definition.question(key)
        if question is None:
            errors.append(field_error(f"valeurs.{key}", f"question inconnue dans cette version : {key}"))
            continue
        if value is None:
            merged.pop(key, None)
            continue
        normal, refused = _normalised(question, value)
        errors += [field_error(f"valeurs.{key}{suffix}", reason) for suffix, reason in refused]
        if not refused:
            if normal is None:
                merged.pop(key, None)
            else:
                merged[key] = normal
    if errors:
        return current, errors
    for key in changes:
        question = definition.question(key)
        assert question is not None
        reason = _constraint_failure(question, merged.get(key), merged)
        if reason:
            errors.append(field_error(f"valeurs.{key}", reason, "constraint"))
    return (current, errors) if errors else (merged, [])


def is_relevant(question: Question, answers: Answers) -> bool:
    return question.relevant is None or compiled(question.relevant).holds(answers)


def completed(definition: Definition, answers: Answers) -> tuple[Answers, list[dict[str, Any]]]:
    """The answers a completed response keeps: those of skipped questions are dropped (as XLSForm clients do),
    every relevant required question must be answered, every constraint hold."""
    kept: Answers = {}
    errors = []
    for question in definition.questions:
        if not is_relevant(question, kept):
            continue
        value = answers.get(question.key)
        if value is not None:
            kept[question.key] = value
        field = f"valeurs.{question.key}"
        if question.required:
            if value is None:
                errors.append(field_error(field, "réponse requise", "missing"))
            elif question.type == QuestionType.GRID:
                errors += [
                    field_error(f"{field}.{item.key}", "réponse requise", "missing")
                    for item in question.items
                    if item.key not in value
                ]
        reason = _constraint_failure(question, value, kept)
        if reason:
            errors.append(field_error(field, reason, "constraint"))
    return kept, errors

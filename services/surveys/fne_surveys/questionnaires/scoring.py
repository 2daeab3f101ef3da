"""Scores per dimension from a response's answers, by the scoring rules of its questionnaire version.

Each answered question a rule names gives points out of a maximum (times the rule's weight); a dimension's
score is the sum over its rules — and, for a domain, over its competences' rules. Unanswered questions count
neither in the points nor in the maximum: a skipped question does not lower a score.
"""

from dataclasses import dataclass
from typing import Any

from fne_surveys.frameworks.registry import Frameworks
from fne_surveys.questionnaires.definition import Definition, QuestionType, RuleKind, ScoringRule


@dataclass(frozen=True)
class DimensionScore:
    framework: str
    framework_version: str
    dimension: str
    raw: float
    maximum: float
    percent: float
    level: int
    items: int


def _answer(answers: dict[str, Any], key: str) -> Any:
    question_key, _, row = key.partition(".")
    value = answers.get(question_key)
    if row:
        return value.get(row) if isinstance(value, dict) else None
    return value


def rule_points(rule: ScoringRule, definition: Definition, value: Any) -> tuple[float, float]:
    """(points, maximum) of one answered rule, before weighting."""
    question = definition.question(rule.question.partition(".")[0])
    assert question is not None
    if rule.kind == RuleKind.VALUE:
        assert question.minimum is not None and question.maximum is not None
        return float(value) - question.minimum, question.maximum - question.minimum
    if rule.kind == RuleKind.COUNT:
        assert rule.cap is not None
        return float(min(len(value), rule.cap)), float(rule.cap)
    if question.type == QuestionType.MULTIPLE_CHOICE:
        cap = float(rule.cap) if rule.cap is not None else float("inf")
        return (
            min(cap, sum(rule.points.get(choice, 0.0) for choice in value)),
            min(cap, sum(points for points in rule.points.values() if points > 0)),
        )
    chosen = ("yes" if value else "no") if question.type == QuestionType.YES_NO else value
    return rule.points.get(chosen, 0.0), max(0.0, *rule.points.values())


def score(definition: Definition, answers: dict[str, Any], frameworks: Frameworks) -> list[DimensionScore]:
    if definition.scoring is None:
        return []
    totals: dict[tuple[str, str], list[float]] = {}
    for rule in definition.scoring.rules:
        value = _answer(answers, rule.question)
        if value is None:
            continue
        points, maximum = rule_points(rule, definition, value)
        framework_code, dimension = rule.dimension.split("/")
        framework = frameworks.get(framework_code, definition.scoring.frameworks[framework_code])
        assert framework is not None, "checked when the questionnaire was written"
        for code in framework.ancestors(dimension):
            total = totals.setdefault((framework_code, code), [0.0, 0.0, 0])
            total[0] += rule.weight * points
            total[1] += rule.weight * maximum
            total[2] += 1
    scores = []
    for (framework_code, dimension), (raw, maximum, items) in totals.items():
        version = definition.scoring.frameworks[framework_code]
        framework = frameworks.get(framework_code, version)
        assert framework is not None
        percent = min(100.0, max(0.0, raw / maximum * 100)) if maximum > 0 else 0.0
        scores.append(
            DimensionScore(
                framework_code,
                version,
                dimension,
                round(raw, 4),
                round(maximum, 4),
                round(percent, 2),
                framework.level_for(percent).level,
                int(items),
            )
        )
    return sorted(scores, key=lambda found: (found.framework, found.dimension))

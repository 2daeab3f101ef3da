"""A questionnaire's content: questions with stable keys, choices, skip logic, constraints and scoring rules.

This is the canonical form the API reads and writes; `xlsform.py` converts it to and from the XLSForm layout.
"""

import hashlib
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

import orjson
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    model_validator,
)

from fne_kernel.errors import field_error
from fne_surveys.frameworks.registry import Frameworks
from fne_surveys.questionnaires.expressions import ExpressionError, compile_expression

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,62}$"
Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
ChoiceValue = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,60}$")]
MAX_TEXT_LENGTH = 2000


def _has_french(labels: dict[str, str]) -> dict[str, str]:
    if not labels.get("fr", "").strip():
        raise ValueError("un libellé en français (fr) est requis")
    return labels


Labels = Annotated[
    dict[
        Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")],
        Annotated[str, StringConstraints(max_length=2000)],
    ],
    AfterValidator(_has_french),
]


def _parses(source: str | None) -> str | None:
    if source is None:
        return None
    try:
        compile_expression(source)
    except ExpressionError as exc:
        raise ValueError(f"expression invalide : {exc}") from exc
    return source


Expr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_parses)]


class QuestionType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SCALE = "scale"
    YES_NO = "yes_no"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    TEXT = "text"
    NOTE = "note"
    GRID = "grid"


CHOICE_TYPES = {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}
NUMERIC_TYPES = {QuestionType.SCALE, QuestionType.INTEGER, QuestionType.DECIMAL}


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: ChoiceValue
    label: Labels


class GridItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: Key
    label: Labels


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: Key = Field(description="Stable identifier: never reused with another meaning across versions")
    type: QuestionType
    label: Labels
    hint: Labels | None = None
    required: bool = False
    relevant: Expr | None = Field(None, description="Skip logic: the question is asked only when this holds")
    constraint: Expr | None = Field(None, description="Must hold for the answer (`.`) to be accepted")
    constraint_message: Labels | None = None
    choices: list[Choice] = Field([], description="single/multiple choice; grid rows answered by choice")
    minimum: float | None = Field(None, description="integer, decimal, scale (and scale grids): lowest value")
    maximum: float | None = None
    min_date: date | None = None
    max_date: date | None = None
    max_length: int | None = Field(None, ge=1, le=MAX_TEXT_LENGTH)
    items: list[GridItem] = Field([], description="grid: the rows, all answered on the same scale or choices")

    @model_validator(mode="after")
    def _attributes_fit_the_type(self) -> "Question":
        kind = self.type
        values = [choice.value for choice in self.choices]
        if len(set(values)) != len(values):
            raise ValueError("valeurs de choix en double")
        if kind in CHOICE_TYPES and len(self.choices) < 2:
            raise ValueError(f"{kind} : deux choix au moins")
        if kind not in CHOICE_TYPES | {QuestionType.GRID} and self.choices:
            raise ValueError(f"{kind} : pas de choix")
        if kind == QuestionType.GRID:
            item_keys = [item.key for item in self.items]
            if not item_keys or len(set(item_keys)) != len(item_keys):
                raise ValueError("grid : au moins une ligne, clés distinctes")
            if bool(self.choices) == (self.minimum is not None):
                raise ValueError("grid : des choix, ou une échelle (minimum, maximum), pas les deux")
        elif self.items:
            raise ValueError(f"{kind} : pas de lignes (items)")
        if kind == QuestionType.SCALE or (kind == QuestionType.GRID and not self.choices):
            if self.minimum is None or self.maximum is None:
                raise ValueError("échelle : minimum et maximum requis")
            if not (float(self.minimum).is_integer() and float(self.maximum).is_integer()):
                raise ValueError("échelle : bornes entières")
            if not 1 <= self.maximum - self.minimum <= 20:
                raise ValueError("échelle : de 2 à 21 points")
        elif self.minimum is not None or self.maximum is not None:
            if kind not in NUMERIC_TYPES:
                raise ValueError(f"{kind} : pas de bornes numériques")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("minimum supérieur au maximum")
        if (self.min_date or self.max_date) and kind != QuestionType.DATE:
            raise ValueError(f"{kind} : pas de bornes de date")
        if self.max_length is not None and kind != QuestionType.TEXT:
            raise ValueError(f"{kind} : max_length réservé au texte")
        if kind == QuestionType.NOTE and (self.required or self.constraint):
            raise ValueError("note : ni réponse requise ni contrainte")
        return self

    def answer_keys(self) -> list[str]:
        """Export columns of this question: one, or one per grid row (`grid.row`)."""
        if self.type == QuestionType.GRID:
            return [f"{self.key}.{item.key}" for item in self.items]
        return [] if self.type == QuestionType.NOTE else [self.key]

    def shape(self) -> dict[str, Any]:
        """What a key means, for the rule that a published key never changes meaning."""
        return {
            "type": self.type.value,
            "choices": sorted(choice.value for choice in self.choices),
            "minimum": self.minimum,
            "maximum": self.maximum,
            "items": [item.key for item in self.items],
        }


class RuleKind(StrEnum):
    POINTS = "points"  # each choice (or yes/no) is worth points; several choices add up
    VALUE = "value"  # the numeric answer, from the question's minimum, is the points
    COUNT = "count"  # how many choices are selected, up to `cap`


class ScoringRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")] = Field(
        description="A question key, or `grid.row` for one row of a grid"
    )
    dimension: Annotated[str, StringConstraints(pattern=r"^[a-z0-9._-]+/[a-z0-9._-]+$")] = Field(
        description="`framework/dimension`, in a framework the scoring names"
    )
    kind: RuleKind
    points: dict[str, float] = Field({}, description="points: choice value (or yes/no) → points")
    cap: int | None = Field(None, ge=1, description="count (required) and points on several choices: the cap")
    weight: float = Field(1.0, gt=0, le=100)

    @model_validator(mode="after")
    def _complete(self) -> "ScoringRule":
        if self.kind == RuleKind.POINTS and not self.points:
            raise ValueError("points : table de points requise")
        if self.kind == RuleKind.COUNT and self.cap is None:
            raise ValueError("count : plafond (cap) requis")
        return self


class Scoring(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{1,40}$")]
    frameworks: dict[str, str] = Field(description="framework code → version used by the rules")
    rules: list[ScoringRule] = Field(min_length=1)


class Definition(BaseModel):
    """The whole content of one questionnaire version (what the content hash covers)."""

    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,59}$")] = Field(
        description="Identifies the questionnaire across its versions"
    )
    title: Labels
    description: Labels | None = None
    mode: Literal["mediator", "self", "both"] = Field("both", description="Who fills it, as designed")
    questions: list[Question] = Field(min_length=1, max_length=500)
    scoring: Scoring | None = None

    # Built on first use: checking and scoring an answer looks up every question by key.
    _questions_by_key: dict[str, Question] | None = PrivateAttr(None)

    def question(self, key: str) -> Question | None:
        if self._questions_by_key is None:
            self._questions_by_key = {}
            for question in self.questions:
                self._questions_by_key.setdefault(question.key, question)
        return self._questions_by_key.get(key)

    def content_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.model_dump(mode="json", exclude_none=True))).hexdigest()


def canonical_json(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def _reference_problems(definition: Definition) -> list[dict[str, Any]]:
    errors = []
    asked: set[str] = set()
    for index, question in enumerate(definition.questions):
        if question.key in asked:
            errors.append(field_error(f"questions.{index}.key", f"clé en double : {question.key}"))
        for what in ("relevant", "constraint"):
            source = getattr(question, what)
            if source is None:
                continue
            compiled = compile_expression(source)
            field = f"questions.{index}.{what}"
            if what == "relevant" and compiled.uses_current:
                errors.append(
                    field_error(field, "« . » (la réponse en cours) n'a de sens que dans une contrainte")
                )
            for reference in sorted(compiled.references):
                target = reference.split(".")[0]
                if target == question.key and what == "constraint":
                    continue
                if target not in asked:
                    errors.append(
                        field_error(field, f"${{{reference}}} ne désigne pas une question posée avant")
                    )
        asked.add(question.key)
    return errors


def _scoring_problems(definition: Definition, frameworks: Frameworks) -> list[dict[str, Any]]:
    scoring = definition.scoring
    if scoring is None:
        return []
    errors = []
    known = {}
    for code, version in scoring.frameworks.items():
        framework = frameworks.get(code, version)
        if framework is None:
            errors.append(
                field_error(f"scoring.frameworks.{code}", f"référentiel inconnu : {code}@{version}")
            )
        else:
            known[code] = framework
    for index, rule in enumerate(scoring.rules):
        field = f"scoring.rules.{index}"
        grid_key, _, item_key = rule.question.partition(".")
        question = definition.question(grid_key)
        if (
            question is None
            or (item_key and item_key not in {item.key for item in question.items})
            or (question.type == QuestionType.GRID and not item_key)
        ):
            errors.append(field_error(f"{field}.question", f"question inconnue : {rule.question}"))
            continue
        framework_code, dimension = rule.dimension.split("/")
        if framework_code not in scoring.frameworks:
            errors.append(
                field_error(f"{field}.dimension", f"{framework_code} n'est pas déclaré dans frameworks")
            )
        elif framework_code in known and known[framework_code].dimension(dimension) is None:
            errors.append(
                field_error(
                    f"{field}.dimension",
                    f"dimension inconnue de {framework_code} : {dimension}",
                    allowed=[d.code for d in known[framework_code].dimensions],
                )
            )
        reason = _rule_mismatch(rule, question)
        if reason:
            errors.append(field_error(f"{field}.kind", reason))
    return errors


def _rule_mismatch(rule: "ScoringRule", question: Question) -> str | None:
    numeric = question.type in NUMERIC_TYPES or (question.type == QuestionType.GRID and not question.choices)
    if rule.kind == RuleKind.VALUE and not (
        numeric and question.minimum is not None and question.maximum is not None
    ):
        return "value : réservé aux réponses numériques bornées (échelle, entier ou décimal avec bornes)"
    if rule.kind == RuleKind.COUNT and question.type != QuestionType.MULTIPLE_CHOICE:
        return "count : réservé aux choix multiples"
    if rule.kind == RuleKind.POINTS:
        if question.type == QuestionType.YES_NO:
            allowed = {"yes", "no"}
        elif question.choices:
            allowed = {choice.value for choice in question.choices}
        else:
            return "points : réservé aux choix et aux oui/non"
        unknown = sorted(set(rule.points) - allowed)
        if unknown:
            return f"points : valeurs inconnues {unknown}"
    return None


def problems(definition: Definition, frameworks: Frameworks) -> list[dict[str, Any]]:
    """What makes a well-formed definition unusable, as field errors naming the faulty field."""
    return _reference_problems(definition) + _scoring_problems(definition, frameworks)

import pytest

from fne_surveys.questionnaires.expressions import ExpressionError, compile_expression

ANSWERS = {
    "usage": True,
    "age": 42,
    "frequence": "jour",
    "outils": ["ordinateur", "tablette"],
    "nom": "",
    "grille": {"courriel": 3},
}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("${usage} = 'yes'", True),
        ("${usage} != 'yes'", False),
        ("${age} >= 18 and ${age} < 65", True),
        ("${age} > 18 or ${absente} = 'x'", True),
        ("not(${age} > 18)", False),
        ("${absente} = ''", True),  # unanswered reads as empty
        ("${absente} > 3", False),  # and compares false with anything else
        ("${absente} != ''", False),
        ("selected(${outils}, 'tablette')", True),
        ("selected(${outils}, 'smartphone')", False),
        ("count-selected(${outils}) = 2", True),
        ("string-length(${frequence}) = 4", True),
        ("${age} + 8 = 50", True),
        ("${age} div 2 = 21 and ${age} mod 5 = 2", True),
        ("${age} div 0 = 1", False),  # no division by zero error: the expression is false
        ("1 + 2 * 3 = 7", True),  # * before +
        ("(1 + 2) * 3 = 9", True),
        ("-${age} < 0", True),
        ("${grille.courriel} = 3", True),
        ('${frequence} = "jour"', True),
        ("true() and not(false())", True),
        ("'10' < '9'", True),  # two texts compare as texts
        ("${age} < '100'", True),  # a number and a numeric text compare as numbers
    ],
)
def test_expressions_evaluate_like_xlsform(source: str, expected: bool) -> None:
    assert compile_expression(source).holds(ANSWERS) is expected


def test_the_current_answer_is_a_dot() -> None:
    constraint = compile_expression(". >= 0 and . <= 120")
    assert constraint.uses_current and constraint.holds({}, 42) and not constraint.holds({}, 121)


def test_references_are_collected_for_checking() -> None:
    assert compile_expression("${a} = 1 and selected(${b}, 'x') or ${g.row} > 2").references == {
        "a",
        "b",
        "g.row",
    }


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('id')",
        "${a} = = 1",
        "${a} =",
        "open('/etc/passwd')",
        "${A} = 1",
        "1 = 1 = 1",
        "selected(${a})",
        "unknown(${a})",
        "${a} = 'unterminated",
        "(" * 60 + "1" + ")" * 60,
        "x" * 1001,
        "${a}.__class__",
    ],
)
def test_anything_outside_the_grammar_is_refused(source: str) -> None:
    with pytest.raises(ExpressionError):
        compile_expression(source)

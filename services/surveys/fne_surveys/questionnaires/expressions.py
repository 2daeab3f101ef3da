"""Relevance and constraint expressions, in the XLSForm dialect coordinators already write.

A small parser and evaluator, never `eval`: the grammar is closed (literals, `${key}` references, `.` for the
answer being checked, comparisons, arithmetic, and/or, and four functions), so an expression can read answers
and nothing else. Unanswered questions read as empty: `${q} = ''` tests "not answered"; a comparison with an
empty operand is false, except equality with the empty string.

    expression := or
    or         := and ("or" and)*
    and        := compare ("and" compare)*
    compare    := sum (("=" | "!=" | "<" | "<=" | ">" | ">=") sum)?
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "div" | "mod") unary)*
    unary      := "-" unary | atom
    atom       := number | string | "${" key "}" | "." | function "(" arguments ")" | "(" expression ")"
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_LENGTH = 1000
MAX_DEPTH = 50
_TOKEN = re.compile(
    r"""
    \s*(?:
      (?P<number>\d+(?:\.\d+)?)
    | (?P<string>'[^']*'|"[^"]*")
    | \$\{(?P<reference>[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)\}
    | (?P<operator><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
    | (?P<name>[a-z][a-z-]*)
    | (?P<current>\.)
    )""",
    re.VERBOSE,
)
_COMPARISONS = {"=", "!=", "<", "<=", ">", ">="}
FUNCTIONS = {"not": 1, "selected": 2, "count-selected": 1, "string-length": 1}


class ExpressionError(ValueError):
    """An expression that does not parse; the message says where."""


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def _tokens(source: str) -> list[_Token]:
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"expression trop longue (plus de {MAX_LENGTH} caractères)")
    tokens, position = [], 0
    source = source.rstrip()
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None or match.end() == position:
            raise ExpressionError(
                f"caractère inattendu à la position {position + 1} : {source[position:][:10]!r}"
            )
        kind = match.lastgroup or ""
        tokens.append(_Token(kind, match.group(kind), match.start(kind)))
        position = match.end()
    return tokens


Node = tuple[Any, ...]


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokens(source)
        self.index = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, text: str | None = None) -> _Token:
        token = self.peek()
        if token is None:
            raise ExpressionError("expression incomplète" + (f" : « {text} » attendu" if text else ""))
        if text is not None and token.text != text:
            raise ExpressionError(
                f"« {text} » attendu à la position {token.position + 1}, trouvé « {token.text} »"
            )
        self.index += 1
        return token

    def accept(self, *texts: str) -> str | None:
        token = self.peek()
        if token is not None and token.kind in ("operator", "name") and token.text in texts:
            self.index += 1
            return token.text
        return None

    def parse(self) -> Node:
        node = self.expression()
        if self.peek() is not None:
            token = self.peek()
            assert token is not None
            raise ExpressionError(f"« {token.text} » inattendu à la position {token.position + 1}")
        return node

    def expression(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("expression trop imbriquée")
        node = self.binary(0)
        self.depth -= 1
        return node

    # Precedence levels, loosest first; comparisons do not chain.
    LEVELS: tuple[tuple[str, ...], ...] = (
        ("or",),
        ("and",),
        tuple(_COMPARISONS),
        ("+", "-"),
        ("*", "div", "mod"),
    )

    def binary(self, level: int) -> Node:
        if level == len(self.LEVELS):
            return self.unary()
        node = self.binary(level + 1)
        while (operator := self.accept(*self.LEVELS[level])) is not None:
            node = ("op", operator, node, self.binary(level + 1))
            if operator in _COMPARISONS:
                break
        return node

    def unary(self) -> Node:
        if self.accept("-"):
            return ("op", "-", ("literal", 0), self.unary())
        return self.atom()

    def atom(self) -> Node:
        token = self.take()
        if token.kind == "number":
            return ("literal", float(token.text) if "." in token.text else int(token.text))
        if token.kind == "string":
            return ("literal", token.text[1:-1])
        if token.kind == "reference":
            return ("reference", token.text)
        if token.kind == "current":
            return ("current",)
        if token.text == "(":
            node = self.expression()
            self.take(")")
            return node
        if token.kind == "name" and token.text in ("true", "false"):
            self.take("(")
            self.take(")")
            return ("literal", token.text == "true")
        if token.kind == "name" and token.text in FUNCTIONS:
            self.take("(")
            arguments = [self.expression()]
            while self.accept(","):
                arguments.append(self.expression())
            self.take(")")
            if len(arguments) != FUNCTIONS[token.text]:
                raise ExpressionError(f"{token.text}() prend {FUNCTIONS[token.text]} argument(s)")
            return ("call", token.text, *arguments)
        raise ExpressionError(f"« {token.text} » inattendu à la position {token.position + 1}")


def _references(node: Node) -> set[str]:
    if node[0] == "reference":
        return {node[1]}
    return {key for child in node[1:] if isinstance(child, tuple) for key in _references(child)}


def _uses_current(node: Node) -> bool:
    return node[0] == "current" or any(
        isinstance(child, tuple) and _uses_current(child) for child in node[1:]
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _comparable(value: Any) -> Any:
    """Answers as XLSForm sees them: yes/no as 'yes'/'no', numbers as numbers, dates as ISO text."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


def _compare(operator: str, left: Any, right: Any) -> bool:
    left, right = _comparable(left), _comparable(right)
    if left is None or right is None:
        # Unanswered: equal to '' only.
        other = right if left is None else left
        return (operator == "=" and other in (None, "")) or (operator == "!=" and other not in (None, ""))
    left_number, right_number = _number(left), _number(right)
    if (
        left_number is not None
        and right_number is not None
        and not (isinstance(left, str) and isinstance(right, str))
    ):
        left, right = left_number, right_number
    else:
        left, right = str(left), str(right)
    return {
        "=": left == right,
        "!=": left != right,
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
    }[operator]


def _arithmetic(operator: str, left: Any, right: Any) -> float | None:
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return None
    if operator == "+":
        return a + b
    if operator == "-":
        return a - b
    if operator == "*":
        return a * b
    if b == 0:
        return None
    return a / b if operator == "div" else a % b


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    return value not in (None, "", [])


Lookup = Callable[[str], Any]


def _evaluate(node: Node, lookup: Lookup, current: Any) -> Any:
    kind = node[0]
    if kind == "literal":
        return node[1]
    if kind == "reference":
        return lookup(node[1])
    if kind == "current":
        return current
    if kind == "call":
        name, arguments = node[1], node[2:]
        values = [_evaluate(argument, lookup, current) for argument in arguments]
        if name == "not":
            return not _truthy(values[0])
        if name == "selected":
            chosen = values[0]
            return str(values[1]) in chosen if isinstance(chosen, list) else chosen == values[1]
        if name == "count-selected":
            return len(values[0]) if isinstance(values[0], list) else 0
        return len(str(values[0])) if values[0] is not None else 0  # string-length
    operator, left_node, right_node = node[1], node[2], node[3]
    if operator == "or":
        return _truthy(_evaluate(left_node, lookup, current)) or _truthy(
            _evaluate(right_node, lookup, current)
        )
    if operator == "and":
        return _truthy(_evaluate(left_node, lookup, current)) and _truthy(
            _evaluate(right_node, lookup, current)
        )
    left, right = _evaluate(left_node, lookup, current), _evaluate(right_node, lookup, current)
    if operator in _COMPARISONS:
        return _compare(operator, left, right)
    return _arithmetic(operator, left, right)


@dataclass(frozen=True)
class Expression:
    source: str
    tree: Node
    references: frozenset[str]
    uses_current: bool

    def holds(self, answers: Mapping[str, Any], current: Any = None) -> bool:
        """True when the expression is satisfied; `answers` maps keys (and `grid.item`) to answers."""

        def lookup(key: str) -> Any:
            if "." in key:
                grid, item = key.split(".", 1)
                value = answers.get(grid)
                return value.get(item) if isinstance(value, dict) else None
            return answers.get(key)

        return _truthy(_evaluate(self.tree, lookup, current))


def compile_expression(source: str) -> Expression:
    tree = _Parser(source).parse()
    return Expression(
        source=source, tree=tree, references=frozenset(_references(tree)), uses_current=_uses_current(tree)
    )

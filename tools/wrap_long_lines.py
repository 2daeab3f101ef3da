"""Wraps the lines ruff's E501 finds too long: comments and docstrings reflowed, string literals split.

Deterministic, so a merge can run it again: `python tools/wrap_long_lines.py FILE…` then `ruff format FILE…`
(repeat until it changes nothing). Code lines without a comment or a string to split are left for a person.
"""

import io
import re
import sys
import tokenize
import unicodedata

LIMIT = 110
QUOTES = ('"""', "'''")
BULLET = re.compile(r"^(\s*)([-*•]|\d+[.)]|\|)\s")


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def break_at(text: str, start: int, limit: int) -> int | None:
    """The index of the last space in text[start:] that leaves text[:index] within limit columns."""
    best = None
    for index in range(start, len(text)):
        if text[index] == " " and width(text[:index]) <= limit:
            best = index
    return best


BASES: dict[int, int] = {}


def text_spans(source: str) -> tuple[dict[int, str], set[int]]:
    """Per line number (0-based): 'comment' or 'docstring' when the line is only that kind of text."""
    kinds: dict[int, str] = {}
    BASES.clear()
    code_lines: set[int] = set()
    previous = None
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            row = token.start[0] - 1
            if token.line.strip().startswith("#"):
                kinds[row] = "comment"
            else:
                kinds[row] = "trailing"
        elif token.type == tokenize.STRING and token.string.lstrip("rRbBuU").startswith(('"""', "'''")):
            if previous is None or previous.type in (
                tokenize.INDENT,
                tokenize.NEWLINE,
                tokenize.NL,
                tokenize.DEDENT,
            ):
                for row in range(token.start[0] - 1, token.end[0]):
                    kinds.setdefault(row, "docstring")
                    BASES[row] = token.start[1]
        if token.type not in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        ):
            for row in range(token.start[0] - 1, token.end[0]):
                if token.type != tokenize.STRING or kinds.get(row) != "docstring":
                    code_lines.add(row)
        if token.type not in (tokenize.NL, tokenize.COMMENT):
            previous = token
    return kinds, code_lines


def reflow_text_lines(lines: list[str], kinds: dict[int, str]) -> bool:
    """Comment and docstring lines: the overflow goes to the start of the next line of the same paragraph."""
    changed = False
    row = 0
    while row < len(lines):
        line = lines[row].rstrip("\n")
        kind = kinds.get(row)
        if width(line) <= LIMIT or kind not in ("comment", "docstring"):
            row += 1
            continue
        if kind == "comment":
            match = re.match(r"^(\s*#+ ?)", line)
            assert match
            prefix = match.group(1)
        else:
            indent = re.match(r"^(\s*)", line).group(1)
            prefix = indent
            base = BASES.get(row, 0)
            first_line = line.strip().lstrip("rRuU").startswith(QUOTES)
            if (len(indent) > base and not first_line) or "  " in line.strip():
                row += 1  # preformatted: an example, a table, aligned columns
                continue
        content_start = (
            len(prefix)
            if kind == "comment"
            else len(re.match(r'^(\s*(?:[rRuU]?"""|[rRuU]?\'\'\')?)', line).group(1))
        )
        cut = break_at(line, content_start + 1, LIMIT)
        if cut is None or ("http" in line[cut:].split(" ")[0][:8] and False):
            row += 1
            continue
        head, overflow = line[:cut].rstrip(), line[cut + 1 :].lstrip()
        lines[row] = head + "\n"
        following = lines[row + 1].rstrip("\n") if row + 1 < len(lines) else None
        same_paragraph = (
            following is not None
            and kinds.get(row + 1) == kind
            and following.strip() not in ("", "#", '"""', "'''")
            and following.startswith(prefix)
            and not BULLET.match(following[len(prefix) :] if kind == "comment" else following.strip() + " ")
            and (kind != "comment" or not following[len(prefix) :].startswith(" "))
            and (kind != "docstring" or not following[len(prefix) :].startswith(" "))
            and not overflow.endswith(('"""', "'''"))
        )
        bullet = BULLET.match(line[len(prefix) :] if kind == "comment" else line)
        hanging = prefix
        if kind == "docstring" and bullet and not bullet.group(2).startswith("|"):
            hanging = bullet.group(1) + " " * (len(bullet.group(2)) + 1)
        if (
            kind == "docstring"
            and bullet
            and following is not None
            and kinds.get(row + 1) == kind
            and following.startswith(hanging)
            and following.strip()
            and not following[len(hanging) :].startswith(" ")
            and not overflow.endswith(QUOTES)
        ):
            lines[row + 1] = hanging + overflow + " " + following[len(hanging) :] + "\n"
        elif same_paragraph and not bullet:
            lines[row + 1] = prefix + overflow + " " + following[len(prefix) :].lstrip() + "\n"
        else:
            lines.insert(row + 1, hanging + overflow + "\n")
            kinds = {(r + 1 if r > row else r): k for r, k in kinds.items()}
        changed = True
        row += 1
    return changed


def split_string_token(token: tokenize.TokenInfo, column_limit: int) -> str | None:
    """`"a b c"` → `("a b " "c")`-ready text: two literals with a newline between, or None if it can't
    split."""
    text = token.string
    match = re.match(r"^([rRbBuUfF]*)(['\"])", text)
    if not match or text[len(match.group(1)) :].startswith(('"""', "'''")):
        return None
    prefix, quote = match.group(1), match.group(2)
    body = text[len(prefix) + 1 : -1]
    is_f = "f" in prefix.lower()
    # Candidate cut: after a space, within the limit, outside an f-string's braces.
    start_col = token.start[1] + len(prefix) + 1
    best = None
    depth = 0
    for index, char in enumerate(body):
        if is_f and char in "{}":
            if body[index : index + 2] in ("{{", "}}") and depth == 0:
                continue
            depth += 1 if char == "{" else -1
        if char == " " and depth == 0 and index > 10 and start_col + index + 2 <= column_limit:
            if index > 0 and body[index - 1] == "\\":
                continue
            best = index
    if best is None:
        return None
    first, second = body[: best + 1], body[best + 1 :]
    if not second:
        return None

    def literal(part: str) -> str:
        part_prefix = prefix
        if is_f and not re.search(r"(?<!\{)\{(?!\{)", part.replace("{{", "")):
            part_prefix = prefix.replace("f", "").replace("F", "")
            part = part.replace("{{", "{").replace("}}", "}")
        return f"{part_prefix}{quote}{part}{quote}"

    return literal(first) + "\n" + literal(second)


def split_strings(source: str) -> str:
    lines = source.splitlines(keepends=True)
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    depth = 0
    edits: list[tuple[tokenize.TokenInfo, str, int]] = []
    done_rows: set[int] = set()
    for token in tokens:
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
        if token.type != tokenize.STRING or token.start[0] != token.end[0]:
            continue
        row = token.start[0] - 1
        if row in done_rows or width(lines[row].rstrip("\n")) <= LIMIT:
            continue
        if token.end[1] <= LIMIT - 1 and width(lines[row][: token.end[1]]) <= LIMIT:
            continue  # this string ends within the limit: something later on the line is too long
        split = split_string_token(token, LIMIT - 1)
        if split is None:
            continue
        edits.append((token, split, depth))
        done_rows.add(row)
    for token, split, depth in reversed(edits):
        row = token.start[0] - 1
        line = lines[row]
        replacement = split if depth > 0 else "(" + split + ")"
        lines[row] = line[: token.start[1]] + replacement + line[token.end[1] :]
    return "".join(lines)


def move_trailing_comments(lines: list[str], kinds: dict[int, str]) -> bool:
    changed = False
    source = "".join(lines)
    comments = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and kinds.get(token.start[0] - 1) == "trailing":
            comments[token.start[0] - 1] = token
    for row in sorted(comments, reverse=True):
        line = lines[row].rstrip("\n")
        token = comments[row]
        if width(line) <= LIMIT or "noqa" in token.string or "type:" in token.string:
            continue
        code = line[: token.start[1]].rstrip()
        indent = re.match(r"^(\s*)", line).group(1)
        lines[row] = code + "\n"
        lines.insert(row, indent + token.string + "\n")
        changed = True
    return changed


def process(path: str) -> bool:
    with open(path, encoding="utf-8") as handle:
        original = handle.read()
    source = original
    for _ in range(5):
        kinds, _code = text_spans(source)
        lines = source.splitlines(keepends=True)
        moved = move_trailing_comments(lines, kinds)
        if moved:
            source = "".join(lines)
            kinds, _code = text_spans(source)
            lines = source.splitlines(keepends=True)
        reflowed = reflow_text_lines(lines, kinds)
        source = "".join(lines)
        split = split_strings(source)
        if split == source and not reflowed and not moved:
            break
        source = split
    compile(source, path, "exec")
    if source != original:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(source)
        return True
    return False


if __name__ == "__main__":
    for name in sys.argv[1:]:
        if process(name):
            print(name)

"""Statistical disclosure control: which counts may be published.

Primary suppression hides every cell counting fewer respondents than the threshold. Secondary suppression then
hides more cells of the same group whenever the hidden ones could be recovered from the published total: while
exactly one cell is hidden, or the hidden cells together count fewer than the threshold, the smallest published
cell is hidden too; if none is left, the total goes as well.
"""

from collections.abc import Hashable, Mapping, Set


def suppressed(counts: Mapping[Hashable, int], threshold: int, total_published: bool = True,
               also: Set[Hashable] = frozenset()) -> set[Hashable]:
    """The keys of `counts` that must not be published (`also`: hidden for another reason, and protected the same
    way); the total is withheld when it is itself below the threshold (then every cell is)."""
    total = sum(counts.values())
    if total < threshold:
        return set(counts)
    hidden = {key for key, count in counts.items() if count < threshold} | set(also)
    if not total_published:
        return hidden
    while hidden and (len(hidden) == 1 or sum(counts[key] for key in hidden) < threshold):
        visible = sorted((count, repr(key), key) for key, count in counts.items() if key not in hidden)
        if not visible:
            break
        hidden.add(visible[0][2])
    return hidden



def suppressed_table(counts: Mapping[tuple[Hashable, Hashable], int], threshold: int,
                     total: Hashable) -> set[tuple[Hashable, Hashable]]:
    """The cells of a two-way table published with its margins that must not be published: the cells of
    `counts`, and the margins keyed with `total` — row totals (row, total), column totals (total, column) and the
    grand total (total, total).

    Primary suppression hides every cell and margin below the threshold. Then each row and each column (the
    margins' row and column included) whose total is published is protected as `suppressed` protects a group,
    the cells hidden along the other direction counting as hidden; again until no line changes. In every such
    line, the hidden cells are then none, or at least two counting together at least the threshold; when a line
    has no cell left to hide with them, its total is withheld instead."""
    rows = sorted({row for row, _ in counts}, key=repr)
    columns = sorted({column for _, column in counts}, key=repr)
    full: dict[tuple[Hashable, Hashable], int] = dict(counts)
    for row in rows:
        full[(row, total)] = sum(counts.get((row, column), 0) for column in columns)
    for column in columns:
        full[(total, column)] = sum(counts.get((row, column), 0) for row in rows)
    full[(total, total)] = sum(counts.values())
    lines = [([(row, column) for column in columns if (row, column) in full], (row, total))
             for row in [*rows, total]]
    lines += [([(row, column) for row in rows if (row, column) in full], (total, column))
              for column in [*columns, total]]
    hidden = {key for key, count in full.items() if count < threshold}
    changed = True
    while changed:
        changed = False
        for members, line_total in lines:
            if line_total in hidden:
                continue
            found = suppressed({key: full[key] for key in members}, threshold, also=hidden.intersection(members))
            if found and (len(found) == 1 or sum(full[key] for key in found) < threshold):
                found.add(line_total)  # nothing left to hide with them (a line of one cell): the total goes
            if not found <= hidden:
                hidden |= found
                changed = True
    return hidden

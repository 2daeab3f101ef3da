"""Request parameters several features share."""

from typing import Annotated

from fastapi import Depends, Query, Request

from fne_kernel.access import require_scopes
from fne_kernel.errors import InvalidInput, field_error
from fne_kernel.identity import Principal, Scope
from fne_observatory.territories.models import Level
from fne_observatory.territories.schemas import parse_ref


def parent_territory(
    dans: Annotated[
        str | None,
        Query(description="Territoire englobant, niveau:code", examples=["departement:73"], max_length=60),
    ] = None,
) -> tuple[Level, str] | None:
    if dans is None:
        return None
    try:
        return parse_ref(dans)
    except ValueError as exc:
        raise InvalidInput([field_error("dans", str(exc), location="query")]) from exc


ParentParam = Annotated[tuple[Level, str] | None, Depends(parent_territory)]
Writer = Annotated[Principal, Depends(require_scopes(Scope.OBSERVATORY_WRITE))]


def actor_name(principal: Principal) -> str:
    """How a change is attributed: the account's or key's name, and its identifier."""
    return (
        f"{principal.name} ({principal.kind}:{principal.subject})"
        if principal.name
        else f"{principal.kind}:{principal.subject}"
    )


def coverage_threshold(request: Request) -> float:
    """The share of a territory's population an aggregate must cover to be published as its value."""
    return float(request.app.state.settings.coverage_threshold)


CoverageThreshold = Annotated[float, Depends(coverage_threshold)]

"""Who may do what in the observatory.

Anyone reads territories, indicators, published values, maps, the roadmap and the committees. Changing them
(imports, computations, the roadmap's statuses, values and milestones, committees' actions) needs
`observatory:write` (coordinators, administrators, keys an administrator granted it); whoever has it is a
contributor and also sees who entered what.
"""

from typing import Annotated

from fastapi import Depends

from fne_kernel.access import public, require_scopes
from fne_kernel.identity import Principal, Scope

Caller = Annotated[Principal, Depends(public)]
Writer = Annotated[Principal, Depends(require_scopes(Scope.OBSERVATORY_WRITE))]


def is_contributor(principal: Principal) -> bool:
    """Contributors see the authors of statuses, values and follow-ups; the public does not."""
    return principal.has_scopes(Scope.OBSERVATORY_WRITE)


def actor_name(principal: Principal) -> str:
    """How a change is attributed: the account's or key's name, and its identifier."""
    return (
        f"{principal.name} ({principal.kind}:{principal.subject})"
        if principal.name
        else f"{principal.kind}:{principal.subject}"
    )

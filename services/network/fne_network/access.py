"""Who may do what in the network service (docs/network.md says it for people).

Reading and changing the network's people, trainings and events needs `network:write`: coordinators and
administrators (and API keys an administrator granted it). Anyone reads the public agenda, the iCalendar
feeds, the aggregated statistics and, of the people, only those who consented to appear publicly and only
their public fields. A person's full export (GDPR right of access) is for coordinator and administrator
accounts, never for a key.
"""

from typing import Annotated

from fastapi import Depends

from fne_kernel.access import Access, public, require_scopes
from fne_kernel.errors import Forbidden
from fne_kernel.identity import Principal, Role, Scope

COORDINATING_ROLES = frozenset({Role.ADMIN.value, Role.COORDINATOR.value})

_writer = require_scopes(Scope.NETWORK_WRITE)
_writing_person = Access(Scope.NETWORK_WRITE, kinds=("user",))


async def coordinating_person(principal: Annotated[Principal, Depends(_writing_person)]) -> Principal:
    if principal.role not in COORDINATING_ROLES:
        raise Forbidden(
            "Réservé aux comptes de coordinateurs et d'administrateurs (pas aux clés d'API)",
            required_roles=sorted(COORDINATING_ROLES),
        )
    return principal


def may_see_unpublished(principal: Principal) -> bool:
    """Drafts and cancelled events are shown to those who manage the agenda."""
    return principal.has_scopes(Scope.NETWORK_WRITE)


Anyone = Annotated[Principal, Depends(public)]
Writer = Annotated[Principal, Depends(_writer)]
CoordinatingPerson = Annotated[Principal, Depends(coordinating_person)]

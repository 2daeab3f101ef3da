"""Who may do what in the surveys service.

`surveys:write` fills questionnaires (mediators, coordinators, partner platforms); `surveys:read` reads results.
Writing questionnaires and campaigns, and answering a person's erasure or access request, also needs
`surveys:write` but is refused to mediator accounts: it is the coordinators' job. API keys are not people and
carry no role: the admin who issued a `surveys:write` key chose to let that platform author.
"""

from typing import Annotated

from fastapi import Depends

from fne_kernel.access import require_scopes
from fne_kernel.errors import Forbidden
from fne_kernel.identity import Principal, Role, Scope

_writer = require_scopes(Scope.SURVEYS_WRITE)
COORDINATING_ROLES = frozenset({Role.ADMIN.value, Role.COORDINATOR.value})


async def coordinator(principal: Annotated[Principal, Depends(_writer)]) -> Principal:
    if principal.kind == "user" and principal.role not in COORDINATING_ROLES:
        raise Forbidden("Réservé aux coordinateurs et administrateurs", required_roles=sorted(COORDINATING_ROLES))
    return principal


Reader = Annotated[Principal, Depends(require_scopes(Scope.SURVEYS_READ))]
Filler = Annotated[Principal, Depends(_writer)]
Coordinator = Annotated[Principal, Depends(coordinator)]

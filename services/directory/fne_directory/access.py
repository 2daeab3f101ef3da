"""Who may do what in the directory (docs/security.md says it for people).

Anyone searches and reads places, permanences, territories and exports, and answers the links of freshness
requests and saved searches. Changing places and permanences, reviewing synchronised records, candidates and
reports needs `directory:write` (coordinators, administrators, keys an administrator granted it); running a
synchronisation needs `sync:run`. Whoever may write also sees permanences that are not published.
"""

from typing import Annotated

from fastapi import Depends

from fne_kernel.access import public, require_scopes
from fne_kernel.identity import Principal, Scope

_editor = require_scopes(Scope.DIRECTORY_WRITE)
_runner = require_scopes(Scope.SYNC_RUN)


def is_editor(principal: Principal) -> bool:
    """Whether the caller changes the directory (and so sees what is not published)."""
    return principal.has_scopes(Scope.DIRECTORY_WRITE)


Caller = Annotated[Principal, Depends(public)]
Editor = Annotated[Principal, Depends(_editor)]
Runner = Annotated[Principal, Depends(_runner)]
# As a route's `dependencies=` when the route does not need the principal itself.
EDITORS = [Depends(_editor)]
RUNNERS = [Depends(_runner)]

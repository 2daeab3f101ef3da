"""Who may do what at the gateway's own routes (accounts, keys, sign-in; docs/security.md says it for people).

Signing in, the site's settings and the health page are public. Reading and changing one's own account needs
a session (`SessionUser`, never a key); the accounts' list and their roles need `users:manage`, API keys
`keys:manage` (administrators).
"""

from typing import Annotated

from fastapi import Depends

from fne_kernel.access import authenticated, require_scopes, user_only
from fne_kernel.identity import Principal, Scope

AuthenticatedPrincipal = Annotated[Principal, Depends(authenticated)]
SessionUser = Annotated[Principal, Depends(user_only)]
UserManager = Annotated[Principal, Depends(require_scopes(Scope.USERS_MANAGE))]
KeyManager = Annotated[Principal, Depends(require_scopes(Scope.KEYS_MANAGE))]

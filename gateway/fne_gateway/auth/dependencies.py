from typing import Annotated

from fastapi import Depends
from starlette.requests import Request

from fne_gateway.auth.credentials import CredentialResolver
from fne_kernel.access import authenticated, require_scopes, user_only
from fne_kernel.identity import Principal, Scope

AuthenticatedPrincipal = Annotated[Principal, Depends(authenticated)]
SessionUser = Annotated[Principal, Depends(user_only)]
UserManager = Annotated[Principal, Depends(require_scopes(Scope.USERS_MANAGE))]
KeyManager = Annotated[Principal, Depends(require_scopes(Scope.KEYS_MANAGE))]


async def get_resolver(request: Request) -> CredentialResolver:
    return request.app.state.credentials


Resolver = Annotated[CredentialResolver, Depends(get_resolver)]

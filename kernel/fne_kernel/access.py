"""Authorization for service routes: every route declares who may call it, and the app refuses to start
otherwise."""

from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import Request

from fne_kernel.errors import Forbidden, Unauthenticated
from fne_kernel.identity import ANONYMOUS, IDENTITY_HEADER, IdentityVerifier, InvalidIdentity, Principal
from fne_kernel.openapi import declare_all_problems


def principal_from_identity_header(request: Request) -> Principal:
    """How services learn the caller: the gateway's signed token, nothing else."""
    token = request.headers.get(IDENTITY_HEADER)
    if not token:
        return ANONYMOUS
    verifier: IdentityVerifier = request.app.state.identity_verifier
    try:
        return verifier.verify(token)
    except InvalidIdentity as exc:
        raise Unauthenticated(str(exc)) from exc


class Access:
    """A route dependency returning the caller, after checking they may call the route."""

    def __init__(self, *scopes: str, authenticated: bool = True, kinds: tuple[str, ...] = ()) -> None:
        self.scopes = tuple(scopes)
        self.kinds = kinds
        self.authenticated = authenticated or bool(scopes) or bool(kinds)

    async def __call__(self, request: Request) -> Principal:
        principal: Principal = request.app.state.resolve_principal(request)
        if self.authenticated and not principal.is_authenticated:
            raise Unauthenticated()
        if self.kinds and principal.kind not in self.kinds:
            raise Forbidden(f"Réservé aux appelants de type : {', '.join(self.kinds)}")
        missing = [scope for scope in self.scopes if scope not in principal.scopes]
        if missing:
            raise Forbidden(f"Portée requise : {', '.join(missing)}", required_scopes=missing)
        return principal

    def describe(self) -> dict[str, Any]:
        if not self.authenticated:
            return {"public": True}
        described: dict[str, Any] = {"public": False, "scopes": list(self.scopes)}
        if self.kinds:
            described["caller_kinds"] = list(self.kinds)
        return described


public = Access(authenticated=False)
authenticated = Access()
user_only = Access(kinds=("user",))


def require_scopes(*scopes: str) -> Access:
    return Access(*scopes)


def _walk(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _walk(sub)


def route_access(route: APIRoute) -> Access | None:
    return next((call for call in _walk(route.dependant) if isinstance(call, Access)), None)


def include_with_declared_access(app: FastAPI, routers: Sequence[APIRouter]) -> None:
    """Includes the routers, failing fast when a route forgot its authorization, and documents each route's
    access in OpenAPI. Routers are inspected before inclusion: FastAPI keeps included routers opaque."""
    routes = [route for router in routers for route in router.routes if isinstance(route, APIRoute)]
    undeclared = [
        f"{sorted(route.methods or ())} {route.path}" for route in routes if route_access(route) is None
    ]
    if undeclared:
        raise RuntimeError(f"routes without a declared access policy: {undeclared}")
    for router in routers:
        app.include_router(router)

    build_openapi = app.openapi

    def openapi_with_access() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build_openapi()
        public_of: dict[tuple[str, str], bool] = {}
        for route in routes:
            if not route.include_in_schema:
                continue
            access = route_access(route)
            assert access is not None
            for method in route.methods or ():
                operation = schema["paths"].get(route.path_format, {}).get(method.lower())
                if operation is None:
                    continue
                operation["x-fne-access"] = access.describe()
                public_of[(route.path_format, method.lower())] = not access.authenticated
                if access.authenticated:
                    operation["security"] = [
                        {"apiKey": list(access.scopes)},
                        {"session": list(access.scopes)},
                    ]
        declare_all_problems(schema, public_of)
        return schema

    app.openapi = openapi_with_access  # type: ignore[method-assign]

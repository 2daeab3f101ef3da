"""Authorization for service routes: every route declares who may call it, and the app refuses to start otherwise."""

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.dependencies.models import Dependant
from starlette.requests import Request

from fne_kernel.errors import Forbidden, Unauthenticated
from fne_kernel.identity import ANONYMOUS, IDENTITY_HEADER, InvalidIdentity, Principal


def principal_from_identity_header(request: Request) -> Principal:
    """How services learn the caller: the gateway's signed token, nothing else."""
    token = request.headers.get(IDENTITY_HEADER)
    if not token:
        return ANONYMOUS
    try:
        return request.app.state.identity_verifier.verify(token)
    except InvalidIdentity as exc:
        raise Unauthenticated(str(exc)) from exc


class Access:
    """A route dependency returning the caller, after checking they may call the route."""

    def __init__(self, *scopes: str, authenticated: bool = True) -> None:
        self.scopes = tuple(scopes)
        self.authenticated = authenticated or bool(scopes)

    async def __call__(self, request: Request) -> Principal:
        principal: Principal = request.app.state.resolve_principal(request)
        if self.authenticated and not principal.is_authenticated:
            raise Unauthenticated()
        missing = [scope for scope in self.scopes if scope not in principal.scopes]
        if missing:
            raise Forbidden(f"Portée requise : {', '.join(missing)}", required_scopes=missing)
        return principal

    def describe(self) -> dict[str, Any]:
        if not self.authenticated:
            return {"public": True}
        return {"public": False, "scopes": list(self.scopes)}


public = Access(authenticated=False)
authenticated = Access()


def require_scopes(*scopes: str) -> Access:
    return Access(*scopes)


def _walk(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _walk(sub)


def route_access(route: APIRoute) -> Access | None:
    return next((call for call in _walk(route.dependant) if isinstance(call, Access)), None)


def enforce_declared_access(app: FastAPI) -> None:
    """Fails fast when a route forgot its authorization, and documents each route's access in OpenAPI."""
    undeclared = [
        f"{sorted(route.methods)} {route.path}"
        for route in app.routes
        if isinstance(route, APIRoute) and route_access(route) is None
    ]
    if undeclared:
        raise RuntimeError(f"routes without a declared access policy: {undeclared}")

    build_openapi = app.openapi

    def openapi_with_access() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build_openapi()
        for route in app.routes:
            if not isinstance(route, APIRoute) or not route.include_in_schema:
                continue
            access = route_access(route)
            assert access is not None
            for method in route.methods:
                operation = schema["paths"].get(route.path_format, {}).get(method.lower())
                if operation is None:
                    continue
                operation["x-fne-access"] = access.describe()
                if access.authenticated:
                    operation["security"] = [{"apiKey": list(access.scopes)}, {"session": list(access.scopes)}]
        return schema

    app.openapi = openapi_with_access  # type: ignore[method-assign]

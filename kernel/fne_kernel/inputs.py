"""The edge rule of every app: input that no database column can hold is refused with a 422 before routing.

Why (docs/security.md): PostgreSQL refuses NUL characters in text, neither database takes text that is not
valid UTF-8 (a lone surrogate from a JSON `\\ud800` escape), an `integer` column stops at 2³¹ − 1 and SQLite's
at 2⁶³ − 1. Checked once here rather than in every route, so that no route can forget it; what slips through
(a value nested in an uploaded file) is caught as the database refuses it (`errors.database_refusal`), and
still answers 422 with nothing written.
"""

import json
from collections.abc import Iterator
from typing import Annotated, Any
from urllib.parse import unquote_to_bytes

import annotated_types
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import AfterValidator, HttpUrl
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fne_kernel.middleware import send_problem

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

URL_MAX_LENGTH = 2083


def _storable_url(url: HttpUrl) -> HttpUrl:
    # Normalising percent-encodes (a space becomes %20): a URL that fit may not fit any more, and would fail
    # when the response is checked against its own schema.
    if len(str(url)) > URL_MAX_LENGTH:
        raise ValueError(f"lien trop long une fois encodé (au plus {URL_MAX_LENGTH} caractères)")
    return url


# An http(s) link whose normalised form holds in the documented 2,083 characters.
Link = Annotated[HttpUrl, AfterValidator(_storable_url)]

NUL_REASON = "Le caractère nul (U+0000) n'est pas accepté"
ENCODING_REASON = "Texte illisible : ce n'est pas de l'UTF-8 valide"


def text_problem(raw: bytes) -> str | None:
    """Why percent-encoded text (a path or a query string) cannot be taken, or None."""
    decoded = unquote_to_bytes(raw.replace(b"+", b" "))
    if b"\x00" in decoded:
        return NUL_REASON
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        return ENCODING_REASON
    return None


def string_problem(value: str) -> str | None:
    if "\x00" in value:
        return NUL_REASON
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return ENCODING_REASON
    return None


def _strings(document: Any) -> Iterator[str]:
    if isinstance(document, str):
        yield document
    elif isinstance(document, dict):
        for key, value in document.items():
            yield key
            yield from _strings(value)
    elif isinstance(document, list):
        for value in document:
            yield from _strings(value)


def json_problem(body: bytes) -> str | None:
    """NUL and lone surrogates can only come as `\\u` escapes (raw control bytes are invalid JSON)."""
    if b"\\u" not in body:
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return None  # the route's parsing answers the syntax error
    for value in _strings(document):
        if reason := string_problem(value):
            return reason
    return None


def _is_json(scope: Scope) -> bool:
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    for name, value in headers:
        if name == b"content-type":
            media_type = value.split(b";", 1)[0].strip().lower()
            return media_type == b"application/json" or media_type.endswith(b"+json")
    return False


async def _refuse(send: Send, location: str, reason: str) -> None:
    error = {"location": location, "field": "", "pointer": "/", "reason": reason, "type": "invalid_text"}
    await send_problem(
        send, 422, "validation-error", "Données invalides", "1 champ(s) invalide(s)", errors=[error]
    )


class TextGuardMiddleware:
    """Refuses NUL characters and invalid UTF-8 in the path, the query string and JSON bodies (422)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogatepass")
        for location, raw in (("path", raw_path), ("query", scope.get("query_string", b""))):
            if raw and (reason := text_problem(raw)):
                await _refuse(send, location, reason)
                return
        if scope["method"] not in _BODY_METHODS or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        body = b"".join(message.get("body", b"") for message in messages if message["type"] == "http.request")
        if reason := json_problem(body):
            await _refuse(send, "body", reason)
            return
        replayed = iter([{"type": "http.request", "body": body, "more_body": False}])

        async def replay() -> Message:
            return next(replayed, None) or await receive()

        await self.app(scope, replay, send)


def _bounded(dependant: Dependant) -> Iterator[Any]:
    yield from (
        *dependant.path_params,
        *dependant.query_params,
        *dependant.header_params,
        *dependant.cookie_params,
    )
    for sub in dependant.dependencies:
        yield from _bounded(sub)


def _dependants(routes: list[Any]) -> Iterator[Dependant]:
    """Every route's dependant, including those of routers FastAPI includes lazily (0.130+: `_IncludedRouter`
    builds its routes' dependants anew from the endpoints, and keeps them)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route.dependant
        elif hasattr(route, "effective_candidates"):
            for candidate in route.effective_candidates():
                if hasattr(candidate, "effective_candidates"):
                    yield from _dependants([candidate])
                elif isinstance(getattr(candidate, "dependant", None), Dependant):
                    yield candidate.dependant


def _is_integer(annotation: Any) -> bool:
    if annotation is int:
        return True
    arguments = getattr(annotation, "__args__", ())
    return bool(arguments) and int in arguments and all(arg in (int, type(None)) for arg in arguments)


def bound_integer_parameters(app: FastAPI) -> None:
    """Gives every integer path, query or header parameter without bounds those of an `integer` column, so
    that 2³¹ is a 422 rather than a database error; OpenAPI then documents the bounds."""
    for dependant in _dependants(app.router.routes):
        for field in _bounded(dependant):
            info = field.field_info
            if not _is_integer(info.annotation):
                continue
            metadata = info.metadata
            changed = False
            if not any(isinstance(item, (annotated_types.Le, annotated_types.Lt)) for item in metadata):
                metadata.append(annotated_types.Le(INT32_MAX))
                changed = True
            if not any(isinstance(item, (annotated_types.Ge, annotated_types.Gt)) for item in metadata):
                metadata.append(annotated_types.Ge(INT32_MIN))
                changed = True
            if changed:
                field.__post_init__()  # rebuilds the field's validator with the new bounds

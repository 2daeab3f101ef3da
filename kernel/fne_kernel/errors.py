"""RFC 9457 problem details: typed domain errors carrying their status, one handler that renders them."""

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from fne_kernel.logging import get_logger, request_id_var
from fne_kernel.messages import french_message

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://fne-savoie.fr/problems/"

logger = get_logger("fne.errors")


class DomainError(Exception):
    """Base of every error a service raises on purpose; subclasses set status, code and title."""

    status: int = 400
    code: str = "bad-request"
    title: str = "Requête invalide"

    def __init__(self, detail: str | None = None, **extensions: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.extensions = extensions
        self.headers: dict[str, str] = {}


class NotFound(DomainError):
    status, code, title = 404, "not-found", "Ressource introuvable"


class Unauthenticated(DomainError):
    status, code, title = 401, "unauthenticated", "Authentification requise"

    def __init__(self, detail: str | None = None, **extensions: Any) -> None:
        super().__init__(detail, **extensions)
        self.headers["WWW-Authenticate"] = 'Bearer realm="fne"'


class Forbidden(DomainError):
    status, code, title = 403, "forbidden", "Accès refusé"


class Conflict(DomainError):
    status, code, title = 409, "conflict", "Conflit"


class PayloadTooLarge(DomainError):
    status, code, title = 413, "payload-too-large", "Corps de requête trop volumineux"


def problem_body(
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    instance: str | None = None,
    **extensions: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": PROBLEM_TYPE_BASE + code, "code": code, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    request_id = request_id_var.get()
    if request_id:
        body["request_id"] = request_id
    body.update(extensions)
    return body


def problem_bytes(status: int, code: str, title: str, detail: str | None = None, **extensions: Any) -> bytes:
    return orjson.dumps(problem_body(status, code, title, detail, **extensions))


def problem_response(
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    headers: dict[str, str] | None = None,
    instance: str | None = None,
    **extensions: Any,
) -> Response:
    return Response(
        orjson.dumps(problem_body(status, code, title, detail, instance, **extensions)),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


class InvalidInput(DomainError):
    """Invalid fields found by a service after the request parsed (cross-field or database checks)."""

    status, code, title = 422, "validation-error", "Données invalides"

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} champ(s) invalide(s)", errors=errors)


def field_error(field: str, reason: str, type_: str = "value_error", **extra: Any) -> dict[str, Any]:
    return {
        "location": "body",
        "field": field,
        "pointer": "/" + field.replace(".", "/"),
        "reason": reason,
        "type": type_,
        **extra,
    }


def field_errors(errors: Sequence[Any], location: str | None = None) -> list[dict[str, Any]]:
    """Pydantic errors as problem+json entries, reasons in French; `location` is prepended to each error's."""
    entries = []
    for error in errors:
        location_parts = [str(part) for part in error.get("loc", ())]
        if location is not None:
            location_parts = [location, *location_parts]
        entry: dict[str, Any] = {
            "location": location_parts[0] if location_parts else "body",
            "field": ".".join(location_parts[1:]) if len(location_parts) > 1 else "",
            "pointer": "/" + "/".join(location_parts[1:]),
            "reason": french_message(error),
            "type": error.get("type", ""),
        }
        expected = (error.get("ctx") or {}).get("expected")
        if expected:
            entry["allowed"] = str(expected).replace("' or '", "' ou '")
        entries.append(entry)
    return entries


def database_refusal(exc: BaseException) -> str | None:
    """Why the database refused a value (too long, out of range, bad text), or None for any other failure."""
    if isinstance(exc, (sa_exc.DataError, OverflowError, UnicodeEncodeError)):
        return "Valeur refusée : trop longue, hors limites ou illisible"
    if isinstance(exc, sa_exc.StatementError) and isinstance(exc.orig, (OverflowError, UnicodeEncodeError)):
        return "Valeur refusée : hors limites ou illisible"
    if isinstance(exc, sa_exc.DBAPIError):
        # asyncpg's own argument checks (an int beyond int32) surface as a DBAPIError around its DataError.
        cause = exc.orig.__cause__ if exc.orig is not None else None
        if cause is not None and type(cause).__name__ in {
            "DataError",
            "InvalidTextRepresentationError",
            "NumericValueOutOfRangeError",
            "StringDataRightTruncationError",
            "CharacterNotInRepertoireError",
            "UntranslatableCharacterError",
        }:
            return "Valeur refusée : trop longue, hors limites ou illisible"
    return None


# French titles for the statuses the framework raises itself (unknown route, wrong method…).
_FRENCH_TITLES = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Ressource introuvable",
    405: "Méthode non autorisée",
    406: "Format de réponse non disponible",
    409: "Conflit",
    412: "Précondition échouée",
    413: "Corps de requête trop volumineux",
    415: "Type de contenu non pris en charge",
    422: "Données invalides",
    429: "Trop de requêtes",
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        return problem_response(
            exc.status,
            exc.code,
            exc.title,
            exc.detail,
            headers=exc.headers,
            instance=request.url.path,
            **exc.extensions,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = field_errors(exc.errors())
        return problem_response(
            422,
            "validation-error",
            "Données invalides",
            f"{len(errors)} champ(s) invalide(s)",
            instance=request.url.path,
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        status = HTTPStatus(exc.status_code)
        code = status.phrase.lower().replace(" ", "-")
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != status.phrase else None
        return problem_response(
            exc.status_code,
            code,
            _FRENCH_TITLES.get(exc.status_code, status.phrase),
            detail,
            headers=getattr(exc, "headers", None),
            instance=request.url.path,
        )

    async def _refused_value(request: Request, exc: Exception) -> Response:
        reason = database_refusal(exc)
        if reason is None:
            raise exc
        # The session dependency rolled the transaction back: nothing of the request is stored.
        logger.warning(
            "value refused by the database", extra={"path": request.url.path, "error": type(exc).__name__}
        )
        error = {"location": "body", "field": "", "pointer": "/", "reason": reason, "type": "value_error"}
        return problem_response(
            422, "validation-error", "Données invalides", reason, instance=request.url.path, errors=[error]
        )

    for refused in (sa_exc.StatementError, OverflowError, UnicodeEncodeError):
        app.add_exception_handler(refused, _refused_value)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        logger.exception("unhandled error", extra={"path": request.url.path})
        return problem_response(500, "internal-error", "Erreur interne", instance=request.url.path)

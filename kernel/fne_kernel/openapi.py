"""What every operation of the OpenAPI document can answer besides its success, declared once for all.

The statuses follow from what the platform does to every request: 401 (a wrong API key or identity, on any
route), 403 (a route's access policy, or a write without its CSRF token), 404 (an identifier in the path),
413 (a body over the limit), 422 (the edge rule and validation), 429 (rate limits, with Retry-After), and a
`default` for what a route raises of its own (409, 412…) or an unavailable service (503). Every error is an
RFC 9457 problem, `application/problem+json`, so that partners can generate clients from this document.
"""

from typing import Any

PROBLEM = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "Erreur au format RFC 9457 ; `code` est stable, `errors` détaille les champs refusés.",
    "type": "object",
    "required": ["type", "code", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "code": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": True,
                "properties": {
                    "location": {"type": "string"},
                    "field": {"type": "string"},
                    "pointer": {"type": "string"},
                    "reason": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
    "additionalProperties": True,
}
_UNSAFE = frozenset({"post", "put", "patch", "delete"})


def problem(description: str, **extra: Any) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM: {"schema": PROBLEM_REF}}, **extra}


def declare_problems(operation: dict[str, Any], *, method: str, path: str, public: bool) -> None:
    responses = operation.setdefault("responses", {})
    for status, response in responses.items():
        if status == "default" or int(status) >= 400:
            response["content"] = {PROBLEM: {"schema": PROBLEM_REF}}
    expected = {
        "401": "Authentification requise, ou clé d'API ou identité invalide",
        "422": "Données invalides : paramètres, corps ou texte illisible",
    }
    if not public or method in _UNSAFE:
        expected["403"] = "Accès refusé : portée ou rôle insuffisant, ou jeton anti-CSRF absent"
    if "{" in path:
        expected["404"] = "Ressource introuvable"
    if "requestBody" in operation:
        expected["413"] = "Corps de requête trop volumineux"
    for status, description in expected.items():
        responses.setdefault(status, problem(description))
    retry_after = {"Retry-After": {"description": "Secondes à attendre", "schema": {"type": "integer"}}}
    responses.setdefault("429", problem("Trop de requêtes", headers=retry_after))
    responses["429"].setdefault("headers", retry_after)  # a route's own 429 is throttled the same way
    responses.setdefault("default", problem("Autre erreur (conflit, précondition, service indisponible…)"))


def declare_all_problems(schema: dict[str, Any], public_of: dict[tuple[str, str], bool]) -> None:
    """`public_of`: (path, method) → whether the route is public."""
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                declare_problems(
                    operation, method=method, path=path, public=public_of.get((path, method), False)
                )

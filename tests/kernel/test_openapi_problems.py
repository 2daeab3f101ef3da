"""Every operation of every service declares the problems it can answer, as application/problem+json."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI

from fne_kernel.identity import generate_private_key_pem, public_key_pem

PUBLIC_KEY = public_key_pem(generate_private_key_pem())
SETTINGS: dict[str, Any] = {
    "database_url": "sqlite+aiosqlite:///:memory:",
    "identity_public_key": PUBLIC_KEY,
    "access_log": False,
}


def documents() -> dict[str, dict]:
    from fne_directory.config import Settings as DirectorySettings
    from fne_directory.main import create_app as directory
    from fne_observatory.config import Settings as ObservatorySettings
    from fne_observatory.main import create_app as observatory
    from fne_surveys.config import Settings as SurveysSettings
    from fne_surveys.main import create_app as surveys

    built = {}
    factories: list[tuple[str, Callable[[], FastAPI]]] = [
        ("directory", lambda: directory(DirectorySettings(**SETTINGS))),
        ("observatory", lambda: observatory(ObservatorySettings(**SETTINGS))),
        ("surveys", lambda: surveys(SurveysSettings(**SETTINGS))),
    ]
    for name, create in factories:
        built[name] = create().openapi()
    return built


@pytest.mark.parametrize("service", ["directory", "observatory", "surveys"])
def test_every_operation_declares_its_problems(service: str) -> None:
    document = documents()[service]
    assert "Problem" in document["components"]["schemas"]
    assert "HTTPValidationError" not in str(document)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert {"401", "422", "429", "default"} <= set(responses), (method, path)
            if not operation["x-fne-access"]["public"]:
                assert "403" in responses, (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            for status, response in responses.items():
                if status == "default" or int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (method, path, status)
            assert "Retry-After" in responses["429"]["headers"]
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                if schema.get("type") == "integer":
                    assert schema.get("maximum", 2**31) <= 2**31 - 1, (method, path, parameter["name"])

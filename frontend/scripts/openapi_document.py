"""Prints the platform's merged OpenAPI document, built offline from the apps themselves (no server, no
database).

`npm run generate-api` runs it with the project's Python, then openapi-typescript turns it into
src/api/schema.d.ts.
"""

import json
import os
import sys

from fne_cli.components import GATEWAY, SERVICES
from fne_gateway.openapi import merge_documents
from fne_kernel.identity import generate_private_key_pem, public_key_pem


def main() -> None:
    # Throw-away keys and in-memory databases: building an app opens nothing, so nothing is touched.
    private_pem = generate_private_key_pem()
    os.environ["GATEWAY_IDENTITY_PRIVATE_KEY"] = private_pem
    os.environ["GATEWAY_DATABASE_URL"] = "sqlite+aiosqlite://"
    os.environ["GATEWAY_FRONTEND_DIR"] = os.devnull
    for service in SERVICES:
        os.environ[f"{service.env_prefix}IDENTITY_PUBLIC_KEY"] = public_key_pem(private_pem)
        os.environ[f"{service.env_prefix}DATABASE_URL"] = "sqlite+aiosqlite://"
    documents = {service.name: _create_app(service.app_factory).openapi() for service in SERVICES}
    merged = merge_documents(_create_app(GATEWAY.app_factory).openapi(), documents)
    json.dump(merged, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)


def _create_app(factory_path: str):  # type: ignore[no-untyped-def]
    module_name, _, factory = factory_path.partition(":")
    module = __import__(module_name, fromlist=[factory])
    return getattr(module, factory)()


if __name__ == "__main__":
    main()

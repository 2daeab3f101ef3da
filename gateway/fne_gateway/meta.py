"""The platform's own routes: health of every service, the merged OpenAPI document and its docs page."""

import base64
import hashlib
import re
from typing import Annotated, Any

import swagger_ui_bundle
from fastapi import APIRouter, Depends
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse

from fne_gateway.dependencies import openapi_aggregator, upstreams
from fne_gateway.headers import CONTENT_SECURITY_POLICY, policy_for
from fne_gateway.health import platform_health
from fne_gateway.openapi import merge_documents
from fne_kernel.access import public
from fne_kernel.health import readiness

router = APIRouter(prefix="/api", tags=["plateforme"], dependencies=[Depends(public)])
DOCS_STATIC_PATH = "/api/docs/static"
docs_static = StaticFiles(directory=swagger_ui_bundle.swagger_ui_path)


@router.get("/health", responses={503: {"description": "Au moins un service n'est pas prêt"}})
async def health(request: Request, gateway: Annotated[dict[str, Any], Depends(readiness)]) -> JSONResponse:
    """Readiness of the gateway and of each service (database reachable, migrations at head)."""
    pool, proxy = upstreams(request)
    report = await platform_health(pool, proxy.upstreams, gateway)
    return JSONResponse(report, status_code=200 if report["status"] == "ready" else 503)


@router.get("/openapi.json", include_in_schema=False)
async def openapi(request: Request) -> JSONResponse:
    """The merged OpenAPI document of the gateway and the four services."""
    documents = await openapi_aggregator(request).service_documents()
    return JSONResponse(merge_documents(request.app.openapi(), documents))


@router.get("/docs", include_in_schema=False)
async def docs() -> HTMLResponse:
    """Interactive documentation, served from this gateway (no third-party CDN)."""
    page = get_swagger_ui_html(
        openapi_url="/api/openapi.json",
        title="FNE Savoie — API",
        swagger_js_url=f"{DOCS_STATIC_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{DOCS_STATIC_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{DOCS_STATIC_PATH}/favicon-32x32.png",
    )
    # Swagger UI starts from one inline script: allowed by its hash alone, not by 'unsafe-inline'.
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(bytes(page.body).decode())
    )
    policy = CONTENT_SECURITY_POLICY.replace("script-src 'self'", f"script-src 'self' {hashes}")
    page.headers["content-security-policy"] = policy_for("/api/docs", policy)
    return page


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)

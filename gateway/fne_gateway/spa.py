"""Serves the built single-page app, falling back to index.html so client-side routes can be reloaded."""

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope


class SpaStaticFiles(StaticFiles):
    def __init__(self, directory: str) -> None:
        super().__init__(directory=directory, html=True)

    async def get_response(self, path: str, scope: Scope) -> Response:
        if path == "api" or path.startswith("api/"):
            raise HTTPException(404)  # an unknown API route is a problem+json 404, never the app's page
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            last_segment = path.rsplit("/", 1)[-1]
            if exc.status_code != 404 or "." in last_segment or scope["method"] not in ("GET", "HEAD"):
                raise
            return await super().get_response("index.html", scope)

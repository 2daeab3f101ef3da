"""The network's shared objects, which the app factory keeps on `app.state`, each behind a named dependency:
a route asks for `NetworkSettings` in its signature and never reads `app.state` itself."""

from typing import Annotated, cast

from fastapi import Depends
from starlette.applications import Starlette
from starlette.requests import Request

from fne_network.config import Settings


def settings_of(app: Starlette) -> Settings:
    return cast(Settings, app.state.settings)


async def get_settings(request: Request) -> Settings:
    """Async: a dependency without I/O then runs on the event loop, not in a worker thread."""
    return settings_of(request.app)


NetworkSettings = Annotated[Settings, Depends(get_settings)]

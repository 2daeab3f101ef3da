"""The surveys service's shared objects, which `create_app` keeps on `app.state`, each behind a named
dependency: a route asks for `SurveysSettings`, `FrameworksDep` or `PseudonymKey` in its signature (code that
has only the app calls the accessor); nothing else reads `app.state`."""

from typing import Annotated, cast

from fastapi import Depends
from starlette.applications import Starlette
from starlette.requests import Request

from fne_surveys.config import Settings
from fne_surveys.frameworks.registry import Frameworks


def settings_of(app: Starlette) -> Settings:
    return cast(Settings, app.state.settings)


def frameworks_of(app: Starlette) -> Frameworks:
    """The measurement frameworks read at start (shipped ones and `SURVEYS_FRAMEWORKS_DIR`)."""
    return cast(Frameworks, app.state.frameworks)


def pseudonym_key_of(app: Starlette) -> bytes:
    """The secret respondents' pseudonyms are keyed with."""
    return cast(bytes, app.state.pseudonym_key)


# Async: a dependency without I/O then runs on the event loop, not in a worker thread.
async def get_settings(request: Request) -> Settings:
    return settings_of(request.app)


async def get_frameworks(request: Request) -> Frameworks:
    return frameworks_of(request.app)


async def get_pseudonym_key(request: Request) -> bytes:
    return pseudonym_key_of(request.app)


SurveysSettings = Annotated[Settings, Depends(get_settings)]
FrameworksDep = Annotated[Frameworks, Depends(get_frameworks)]
PseudonymKey = Annotated[bytes, Depends(get_pseudonym_key)]

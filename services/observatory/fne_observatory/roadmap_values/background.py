"""The roadmap recomputed on a schedule: every source on its own (one down leaves the others computed),
each in its own transaction; failures are logged, and the next pass tries again."""

import asyncio

from fastapi import FastAPI

from fne_kernel.db import app_sessions, utcnow
from fne_kernel.logging import get_logger
from fne_observatory.dependencies import roadmap_sources_of, settings_of
from fne_observatory.roadmap_values import service
from fne_observatory.roadmap_values.definitions import Source

logger = get_logger("fne.observatory.roadmap_values")
# Not at once: a service just started (a deploy, a test run) is left alone for a quarter of an hour.
FIRST_DELAY_SECONDS = 900


async def refresh_roadmap_periodically(app: FastAPI) -> None:
    hours = settings_of(app).roadmap_refresh_hours
    if not hours:
        return
    await asyncio.sleep(FIRST_DELAY_SECONDS)
    while True:
        await refresh_every_source(app)
        await asyncio.sleep(hours * 3600)


async def refresh_every_source(app: FastAPI) -> dict[str, str]:
    outcomes: dict[str, str] = {}
    for source in Source:
        try:
            async with app_sessions(app)() as session, session.begin():
                outcome = await service.refresh(
                    session,
                    roadmap_sources_of(app),
                    [source],
                    focus=settings_of(app).focus_departement,
                    coop_since=settings_of(app).coop_since,
                    actor="calcul planifié",
                    today=utcnow().date(),
                    explicit=False,
                )
            outcomes[source.value] = "calculée" if outcome.computed else "; ".join(outcome.skipped.values())
        except Exception as exc:  # one source down must not stop the others
            logger.warning(
                "roadmap source failed", extra={"source": source.value, "error": type(exc).__name__}
            )
            outcomes[source.value] = f"échec : {type(exc).__name__}"
    return outcomes

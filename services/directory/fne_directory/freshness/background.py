"""The directory's background jobs for e-mail: delivering its outbox; daily, the freshness requests and the
saved searches' weekly news."""

import asyncio

from fastapi import FastAPI

from fne_directory.dependencies import courier_of, settings_of
from fne_directory.freshness import service
from fne_directory.saved_searches import service as saved_searches
from fne_kernel.db import app_sessions
from fne_kernel.logging import get_logger

logger = get_logger("fne.directory.freshness")
PERIOD_SECONDS = 24 * 3600


async def deliver_mail(app: FastAPI) -> None:
    await courier_of(app).run()


async def ask_stale_places(app: FastAPI) -> int:
    """One pass: queues the messages of every stale place (batch after batch); returns how many."""
    settings, sessions = settings_of(app), app_sessions(app)
    total = 0
    while True:
        async with sessions() as session, session.begin():
            queued = await service.send_due(session, settings)
        total += queued
        if queued < settings.freshness_batch:
            break
    if total:
        courier_of(app).wake()
    return total


async def ask_stale_places_daily(app: FastAPI) -> None:
    settings = settings_of(app)
    if not (settings.freshness_scheduler and settings.mail_enabled):
        return
    while True:
        try:
            asked = await ask_stale_places(app)
            async with app_sessions(app)() as session, session.begin():
                digests = await saved_searches.send_digests(session, settings)
            if asked or digests:
                courier_of(app).wake()
                logger.info(
                    "freshness requests and saved-search news queued",
                    extra={"places": asked, "searches": digests},
                )
        except Exception:  # a database hiccup must not end the loop; tomorrow's pass retries
            logger.exception("freshness pass failed")
        await asyncio.sleep(PERIOD_SECONDS)

"""Keeps the materialised opening intervals ahead of time, so "open now / open at" stays right every day."""

import asyncio
from datetime import datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.places import hours
from fne_directory.places.models import Place
from fne_directory.places.service import refresh_openings
from fne_kernel.db import app_sessions, utcnow
from fne_kernel.logging import get_logger

logger = get_logger("fne.directory.hours")
BATCH = 500
# Intervals are extended once less than this is left: a daily pass keeps them at least a week ahead.
MIN_AHEAD = hours.HORIZON - timedelta(days=1)
PERIOD_SECONDS = 3600


async def refresh_due_openings(session: AsyncSession, now: datetime) -> int:
    """Recomputes one batch of places whose intervals run out soon; returns how many."""
    statement = (
        select(Place)
        .where(
            Place.status == "active",
            Place.horaires.is_not(None),
            or_(Place.openings_until.is_(None), Place.openings_until < now + MIN_AHEAD),
        )
        .order_by(Place.openings_until.nulls_first(), Place.id)
        .limit(BATCH)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)  # several replicas share the work
    places = list(await session.scalars(statement))
    if places:
        refresh_openings(places, now)
        await session.flush()
    return len(places)


async def refresh_all_due(session_factory, now: datetime | None = None) -> int:
    total = 0
    while True:
        async with session_factory() as session, session.begin():
            done = await refresh_due_openings(session, now or utcnow())
        total += done
        if done < BATCH:
            return total


async def refresh_openings_periodically(app: FastAPI) -> None:
    while True:
        try:
            refreshed = await refresh_all_due(app_sessions(app))
            if refreshed:
                logger.info("opening intervals refreshed", extra={"places": refreshed})
        except Exception:  # a database hiccup must not end the loop; the next pass retries
            logger.exception("opening intervals refresh failed")
        await asyncio.sleep(PERIOD_SECONDS)

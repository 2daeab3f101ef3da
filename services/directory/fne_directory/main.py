from fastapi import FastAPI
from sqlalchemy import event

from fne_directory.config import Settings
from fne_directory.exports.cache import ExportCache
from fne_directory.exports.router import router as exports_router
from fne_directory.freshness.background import ask_stale_places_daily, deliver_mail
from fne_directory.freshness.models import OutboxMessage
from fne_directory.freshness.router import router as freshness_router
from fne_directory.geocoding.ban import BanGeocoder
from fne_directory.permanences.router import router as permanences_router
from fne_directory.places.maintenance import refresh_openings_periodically
from fne_directory.places.router import router as places_router
from fne_directory.places.search import KeptFacets, register_sqlite_functions
from fne_directory.saved_searches.router import router as saved_searches_router
from fne_directory.sync.router import router as sync_router
from fne_directory.sync.service import run_due_periodically
from fne_directory.territories.router import router as territories_router
from fne_kernel.app import create_service_app
from fne_kernel.mail.outbox import Courier


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = create_service_app(
        name="directory",
        title="FNE Savoie — annuaire",
        description="Lieux de médiation numérique : recherche, fiches, exports aux formats nationaux.",
        package="fne_directory",
        settings=settings,
        routers=[
            places_router,
            permanences_router,
            territories_router,
            exports_router,
            sync_router,
            freshness_router,
            saved_searches_router,
        ],
        background=[
            refresh_openings_periodically,
            run_due_periodically,
            deliver_mail,
            ask_stale_places_daily,
        ],
    )
    engine = app.state.engine
    # Reads app.state.sessions at each pass (tests swap it for rolled-back sessions).
    app.state.courier = Courier(lambda: app.state.sessions, OutboxMessage, settings)
    if engine.dialect.name == "sqlite":
        # Text similarity and distances, which PostgreSQL computes natively (pg_trgm, trigonometry).
        event.listen(
            engine.sync_engine, "connect", lambda connection, _record: register_sqlite_functions(connection)
        )
    app.state.export_cache = ExportCache(settings.export_cache_bytes, settings.cache_settle_seconds)
    app.state.kept_facets = (
        KeptFacets(settings.facet_cache_entries, settings.cache_settle_seconds)
        if settings.facet_cache_entries
        else None
    )
    # Without an address base, places without coordinates sit at their commune's point, flagged approximate.
    app.state.geocoder = (
        BanGeocoder(settings.geocoder_url, timeout=settings.geocoder_timeout)
        if settings.geocoder_url
        else None
    )
    return app

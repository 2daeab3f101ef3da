"""The sources a deployment synchronises: the three platforms when configured, and files by name."""

import re
from dataclasses import dataclass
from typing import Any

from fne_directory.sync.connectors.base import Connector
from fne_directory.sync.connectors.data_inclusion import DataInclusionConnector
from fne_directory.sync.connectors.dora import DoraConnector
from fne_directory.sync.connectors.yeswiki import YesWikiConnector
from fne_directory.sync.exceptions import SourceNotConfigured, UnknownSource

FILE_PREFIX = "fichier-"
FILE_SOURCE = re.compile(r"^fichier-[a-z0-9][a-z0-9-]{0,50}$")


@dataclass(frozen=True)
class Platform:
    name: str
    label: str
    url_setting: str
    interval_setting: str
    connector: Any  # a class with from_settings(settings, client_options)


PLATFORMS = {
    platform.name: platform
    for platform in (
        Platform(
            "data-inclusion",
            "data·inclusion (API v1)",
            "sync_data_inclusion_url",
            "sync_data_inclusion_interval_minutes",
            DataInclusionConnector,
        ),
        Platform("dora", "DORA (API v2)", "sync_dora_url", "sync_dora_interval_minutes", DoraConnector),
        Platform(
            "mednum73",
            "Mednum73 (YesWiki)",
            "sync_mednum73_url",
            "sync_mednum73_interval_minutes",
            YesWikiConnector,
        ),
    )
}


def is_configured(settings: Any, name: str) -> bool:
    return name in PLATFORMS and bool(getattr(settings, PLATFORMS[name].url_setting))


def interval_minutes(settings: Any, name: str) -> int:
    return int(getattr(settings, PLATFORMS[name].interval_setting))


def configured(settings: Any) -> list[str]:
    return [name for name in PLATFORMS if is_configured(settings, name)]


def connector_for(settings: Any, name: str) -> Connector:
    if name not in PLATFORMS:
        raise UnknownSource(
            f"Source inconnue : {name} (parmi {', '.join(PLATFORMS)})", allowed=list(PLATFORMS)
        )
    if not is_configured(settings, name):
        raise SourceNotConfigured(
            f"{PLATFORMS[name].label} n'est pas configurée : renseignez "
            f"DIRECTORY_{PLATFORMS[name].url_setting.upper()}"
        )
    options = {
        "timeout": settings.sync_http_timeout,
        "retries": settings.sync_http_retries,
        "backoff": settings.sync_http_backoff,
    }
    connector: Connector = PLATFORMS[name].connector.from_settings(settings, options)
    return connector

"""Every table of the directory, imported so that Alembic and the metadata see them all."""

from fne_directory.freshness.models import ContactOptOut, FreshnessRequest, OutboxMessage, PlaceProposal
from fne_directory.permanences.models import Permanence, PermanenceSlot
from fne_directory.places.models import Place, PlaceChange, SearchWord
from fne_directory.saved_searches.models import SavedSearch
from fne_directory.sync.models import FieldProvenance, MatchCandidate, SourceRecord, SyncJob
from fne_directory.territories.models import Commune, CommunePostalCode, TerritoryDataset

__all__ = [
    "Commune",
    "CommunePostalCode",
    "ContactOptOut",
    "FieldProvenance",
    "FreshnessRequest",
    "MatchCandidate",
    "OutboxMessage",
    "Permanence",
    "PermanenceSlot",
    "Place",
    "PlaceChange",
    "PlaceProposal",
    "SavedSearch",
    "SearchWord",
    "SourceRecord",
    "SyncJob",
    "TerritoryDataset",
]

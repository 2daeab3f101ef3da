"""Every table of the directory, imported so that Alembic and the metadata see them all."""

from fne_directory.places.models import Place, PlaceChange, PlaceOpening, PlaceTag
from fne_directory.territories.models import Commune, CommunePostalCode, TerritoryDataset

__all__ = ["Commune", "CommunePostalCode", "Place", "PlaceChange", "PlaceOpening", "PlaceTag", "TerritoryDataset"]

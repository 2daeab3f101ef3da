from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query
from starlette.requests import Request

from fne_kernel.pagination import PageParams, PageRequest
from fne_directory.places.exceptions import InvalidSearch
from fne_directory.places.quality import Freshness
from fne_directory.places.search import PlaceQuery, SortOrder
from fne_directory.places.service import Geocoder
from fne_directory.places.vocabulary import (
    Frais, FormationLabel, Itinerance, ModaliteAccompagnement, ModaliteAcces, PriseEnCharge, Programme, Public,
    Service, Typologie,
)
from fne_kernel.db import utcnow

MAX_RESULTS_WINDOW = 10_000


async def place_query(
    q: Annotated[str | None, Query(max_length=200, description="Texte : nom, commune, adresse, présentation")] = None,
    services: Annotated[list[Service], Query()] = [],
    publics_specifiquement_adresses: Annotated[list[Public], Query()] = [],
    prise_en_charge_specifique: Annotated[list[PriseEnCharge], Query()] = [],
    frais_a_charge: Annotated[list[Frais], Query()] = [],
    dispositif_programmes_nationaux: Annotated[list[Programme], Query()] = [],
    formations_labels: Annotated[list[FormationLabel], Query()] = [],
    modalites_acces: Annotated[list[ModaliteAcces], Query()] = [],
    modalites_accompagnement: Annotated[list[ModaliteAccompagnement], Query()] = [],
    typologie: Annotated[list[Typologie], Query()] = [],
    itinerance: Annotated[list[Itinerance], Query()] = [],
    code_insee: Annotated[list[str], Query(description="Codes INSEE de communes")] = [],
    epci: Annotated[list[str], Query(description="SIREN d'EPCI")] = [],
    departement: Annotated[list[str], Query(description="Codes de départements")] = [],
    fraicheur: Annotated[list[Freshness], Query()] = [],
    ouvert: Annotated[bool, Query(description="Ouvert maintenant (heure de Paris, jours fériés compris)")] = False,
    ouvert_a: Annotated[datetime | None, Query(description="Ouvert à cet instant (ISO 8601, avec fuseau)")] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    rayon_km: Annotated[float | None, Query(gt=0, le=200)] = None,
    bbox: Annotated[str | None, Query(description="ouest,sud,est,nord (degrés WGS 84)")] = None,
    tri: SortOrder | None = None,
) -> PlaceQuery:
    """Every search filter, as query parameters named after the standard's fields."""
    if (lat is None) != (lon is None):
        raise InvalidSearch("lat et lon vont ensemble")
    if rayon_km is not None and lat is None:
        raise InvalidSearch("rayon_km demande un point (lat, lon)")
    if ouvert_a is not None and ouvert_a.tzinfo is None:
        raise InvalidSearch("ouvert_a doit préciser son fuseau horaire (ex. 2026-12-01T10:00:00+01:00)")
    box = None
    if bbox is not None:
        try:
            west, south, east, north = (float(part) for part in bbox.split(","))
        except ValueError as exc:
            raise InvalidSearch("bbox attend quatre nombres : ouest,sud,est,nord") from exc
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise InvalidSearch("bbox : ouest < est et sud < nord, en degrés")
        box = (west, south, east, north)
    tags = {
        "services": services, "publics_specifiquement_adresses": publics_specifiquement_adresses,
        "prise_en_charge_specifique": prise_en_charge_specifique, "frais_a_charge": frais_a_charge,
        "dispositif_programmes_nationaux": dispositif_programmes_nationaux, "formations_labels": formations_labels,
        "modalites_acces": modalites_acces, "modalites_accompagnement": modalites_accompagnement,
        "typologie": typologie, "itinerance": itinerance,
    }
    return PlaceQuery(
        text=q, tags={name: list(values) for name, values in tags.items() if values}, communes=code_insee,
        epcis=epci, departements=departement, freshness=fraicheur,
        open_at=ouvert_a if ouvert_a is not None else (utcnow() if ouvert else None),
        near=(lat, lon) if lat is not None and lon is not None else None,
        radius_m=rayon_km * 1000 if rayon_km is not None else None, bbox=box, sort=tri,
    )


async def search_page(request: PageParams) -> PageRequest:
    """Search results are read page by page up to a window; the change feed and exports go further."""
    if request.page * request.size > MAX_RESULTS_WINDOW:
        raise InvalidSearch(f"au-delà de {MAX_RESULTS_WINDOW} résultats, utilisez le flux /lieux/modifications "
                            "ou les exports")
    return request


async def get_geocoder(request: Request) -> Geocoder | None:
    return getattr(request.app.state, "geocoder", None)


PlaceQueryDep = Annotated[PlaceQuery, Depends(place_query)]
SearchPageParams = Annotated[PageRequest, Depends(search_page)]
GeocoderDep = Annotated[Geocoder | None, Depends(get_geocoder)]

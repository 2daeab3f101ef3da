"""The built-in travel-time estimate against road times of ordinary Savoie trips (issue #12): within ±30 %."""

import numpy as np
import pytest

from fne_observatory.directory_figures.travel import Origin, estimated_minutes, haversine_km

# Town halls (latitude, longitude), density (inhabitants/km²), and the road time by car between them in
# ordinary traffic (national road network routing, rounded).
TOWNS = {
    "aix-les-bains": ((45.6885, 5.9153), 1_450.0),
    "albertville": ((45.6755, 6.3925), 1_020.0),
    "le-pont-de-beauvoisin": ((45.5366, 5.6711), 1_330.0),
    "saint-martin-de-belleville": ((45.3808, 6.5050), 17.0),
    "chambery": ((45.5646, 5.9178), 2_820.0),
    "moutiers": ((45.4847, 6.5314), 1_070.0),
}
TRIPS = [
    ("aix-les-bains", "chambery", 17),  # A41/D1201, about 15 km
    ("albertville", "moutiers", 25),  # N90, about 25 km
    ("le-pont-de-beauvoisin", "chambery", 30),  # A43 over the Épine, about 30 minutes
    ("saint-martin-de-belleville", "moutiers", 20),  # a ski resort's valley road
]


@pytest.mark.parametrize(("start", "end", "road_minutes"), TRIPS)
def test_the_estimate_lands_within_thirty_percent_of_the_road(
    start: str, end: str, road_minutes: int
) -> None:
    (origin_point, density), ((latitude, longitude), _) = TOWNS[start], TOWNS[end]
    distance = float(
        haversine_km(
            np.array(origin_point[0]), np.array(origin_point[1]), np.array(latitude), np.array(longitude)
        )
    )
    minutes = estimated_minutes(Origin(start, *origin_point, density, True), distance)
    assert abs(minutes - road_minutes) <= 0.3 * road_minutes, (start, end, distance, minutes)


def test_a_dense_town_is_not_slow_for_the_whole_trip() -> None:
    """The old estimate set a town's 21 km/h for every kilometre: 15 km away came out at over an hour."""
    town, village = Origin("t", 45.6, 5.9, 2_000.0, True), Origin("v", 45.6, 5.9, 20.0, True)
    assert estimated_minutes(town, 15.0) < 30 < estimated_minutes(village, 25.0)
    assert estimated_minutes(town, 0.5) >= 4  # leaving and parking, however near

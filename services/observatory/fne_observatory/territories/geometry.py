"""Outlines simplified for the zoom level of a map, written as GeoJSON once, at load time.

Each commune is simplified on its own (Douglas-Peucker, topology of the polygon preserved): the package's
outlines are not an exact coverage (neighbours overlap by metres), so coverage-aware simplification refuses
them. At the coarse tiers, neighbouring outlines may therefore leave hairline gaps, invisible under a map's
borders. Upper levels are unions of their communes snapped to a 10 m grid, which absorbs those overlaps.
"""

import math

import shapely
from shapely.geometry.base import BaseGeometry

from fne_observatory.territories.models import GeometryTier

# (tolerance of the simplification, grid the coordinates are rounded to), in degrees (0.001° ≈ 80 to 110 m).
TIERS: dict[GeometryTier, tuple[float, float]] = {
    GeometryTier.FINE: (0.0, 0.00001),
    GeometryTier.MEDIUM: (0.001, 0.0001),
    GeometryTier.COARSE: (0.004, 0.001),
}
UNION_GRID = 0.0001
KM_PER_DEGREE = 111.32


def tier_for_zoom(zoom: int) -> GeometryTier:
    """Web-map zoom (0 = the world, 18 = a street): a department fills a screen around zoom 8 or 9."""
    if zoom >= 11:
        return GeometryTier.FINE
    if zoom >= 8:
        return GeometryTier.MEDIUM
    return GeometryTier.COARSE


def simplified_geojson(geometry: BaseGeometry) -> dict[GeometryTier, str]:
    """The geometry's GeoJSON at every tier; a part too small for a tier's grid keeps the finer version."""
    written: dict[GeometryTier, str] = {}
    for tier, (tolerance, grid) in TIERS.items():
        simplified = shapely.simplify(geometry, tolerance, preserve_topology=True) if tolerance else geometry
        rounded = shapely.set_precision(simplified, grid)
        written[tier] = shapely.to_geojson(simplified if rounded.is_empty else rounded)
    return written


def union(geometries: list[BaseGeometry]) -> BaseGeometry:
    return shapely.union_all(geometries, grid_size=UNION_GRID)


def area_km2(geometry: BaseGeometry) -> float:
    """Area on an equirectangular projection at the geometry's latitude: within 1 % at a commune's size."""
    latitude = geometry.centroid.y
    return geometry.area * KM_PER_DEGREE**2 * math.cos(math.radians(latitude))

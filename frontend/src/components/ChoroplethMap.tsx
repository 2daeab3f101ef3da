/** A choropleth of an indicator (lazy-loaded with Leaflet): one colour per class, outlines from the observatory. */
import "leaflet/dist/leaflet.css";

import L from "leaflet";
import { useEffect, useRef } from "react";

import { type ChoroplethFeature, classColour } from "../lib/choropleth";

interface Props {
  features: ChoroplethFeature[];
  classes: number;
  label: string;
  format: (value: number) => string;
  /** Called with a territory's code when it is clicked (its profile); the table gives the same links. */
  onSelect?: (code: string) => void;
}

export default function ChoroplethMap({ features, classes, label, format, onSelect }: Props) {
  const container = useRef<HTMLDivElement>(null);
  // Read at click time: a new callback does not redraw the map.
  const select = useRef(onSelect);
  useEffect(() => {
    select.current = onSelect;
  });
  useEffect(() => {
    if (!container.current) return;
    const map = L.map(container.current, { scrollWheelZoom: false, maxZoom: 14 });
    const layer = L.geoJSON({ type: "FeatureCollection", features } as GeoJSON.FeatureCollection, {
      style: (feature) => ({
        color: "#ffffff",
        weight: 0.6,
        fillOpacity: 0.9,
        fillColor: classColour((feature?.properties as ChoroplethFeature["properties"]).classe, classes),
      }),
      onEachFeature: (feature, drawn) => {
        const properties = feature.properties as ChoroplethFeature["properties"];
        const value =
          properties.valeur === null
            ? properties.secret
              ? "secret statistique"
              : properties.donnees_partielles
                ? "données partielles"
                : "pas de valeur"
            : format(properties.valeur);
        drawn.bindTooltip(`${properties.nom} : ${value}`);
        drawn.on("click", () => select.current?.(properties.code));
      },
    }).addTo(map);
    if (features.length) map.fitBounds(layer.getBounds());
    return () => {
      map.remove();
    };
  }, [features, classes, format]);
  return <div ref={container} className="fne-map" role="region" aria-label={label} />;
}

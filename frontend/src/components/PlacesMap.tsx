/**
 * The map of places: loaded only on screens that show it (React.lazy), with Leaflet and marker clustering.
 * Works without a tile server: the base layer is the followed department's commune boundaries, read from the
 * observatory; a tile URL (VITE_MAP_TILE_URL) adds raster tiles under them.
 * Every place shown here is also in the list next to it: the map is never the only way to reach one.
 */
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster/dist/MarkerCluster.css";
import "./PlacesMap.css";

import L from "leaflet";
import { useEffect, useRef } from "react";

import { api, unwrap } from "../api/client";
import { FOLLOWED_DEPARTMENT } from "../lib/indicators";

export interface MapPlace {
  id: string;
  nom: string;
  latitude: number;
  longitude: number;
  adresse?: string;
  commune?: string;
}

interface Props {
  places: MapPlace[];
  /** Where the link of each place's popup leads, e.g. `/lieux/ID`. */
  placeHref: (id: string) => string;
  /** The map's label for assistive technologies, e.g. "Carte des 12 lieux trouvés". */
  label: string;
  small?: boolean;
  /** Opens the place links in the parent page (the embeddable widget). */
  linkTarget?: string;
}

const SAVOIE: L.LatLngBoundsExpression = [
  [45.05, 5.62],
  [45.94, 7.19],
];

const TILE_URL = import.meta.env.VITE_MAP_TILE_URL as string | undefined;
const TILE_ATTRIBUTION = (import.meta.env.VITE_MAP_TILE_ATTRIBUTION as string | undefined) ?? "";

function escapeHtml(text: string): string {
  const element = document.createElement("span");
  element.textContent = text;
  return element.innerHTML;
}

let outlines: Promise<GeoJSON.FeatureCollection | null> | undefined;

/**
 * The communes' outlines, fetched once per visit and shared by every map. Without them (observatory unreachable)
 * the map keeps its plain background: the places matter more than the base layer.
 */
export function communeOutlines(): Promise<GeoJSON.FeatureCollection | null> {
  outlines ??= unwrap(
    api.GET("/api/observatory/territoires/contours", {
      params: { query: { niveau: "commune", dans: FOLLOWED_DEPARTMENT, zoom: 9 } },
      parseAs: "json",
    }),
  ).then(
    (collection) => collection as unknown as GeoJSON.FeatureCollection,
    () => {
      outlines = undefined;
      return null;
    },
  );
  return outlines;
}

const markerIcon = L.divIcon({ className: "fne-marker", html: "<span></span>", iconSize: [18, 18], iconAnchor: [9, 9] });

async function clusterGroup(): Promise<L.FeatureGroup> {
  // The clustering plug-in extends the global `L`, as Leaflet plug-ins do.
  (window as unknown as { L: typeof L }).L = L;
  await import("leaflet.markercluster");
  return L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
}

export default function PlacesMap({ places, placeHref, label, small = false, linkTarget }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.FeatureGroup | null>(null);

  useEffect(() => {
    if (!container.current) return;
    // maxZoom is set for clustering, which needs it even when no tile layer gives one.
    const created = L.map(container.current, { scrollWheelZoom: false, keyboard: true, maxZoom: 18 }).fitBounds(SAVOIE);
    if (TILE_URL) L.tileLayer(TILE_URL, { attribution: TILE_ATTRIBUTION, maxZoom: 19 }).addTo(created);
    map.current = created;
    return () => {
      created.remove();
      map.current = null;
      layer.current = null;
    };
  }, []);

  useEffect(() => {
    let drawn: L.GeoJSON | undefined;
    let cancelled = false;
    void communeOutlines().then((collection) => {
      const current = map.current;
      if (cancelled || !current || !collection) return;
      drawn = L.geoJSON(collection, {
        style: { color: "#6a6af4", weight: 1, fillColor: "#e3e3fd", fillOpacity: 0.4 },
        interactive: false,
      }).addTo(current);
      drawn.bringToBack();
    });
    return () => {
      cancelled = true;
      drawn?.remove();
    };
  }, []);

  useEffect(() => {
    let cancelled = false;
    void clusterGroup().then((group) => {
      const current = map.current;
      if (cancelled || !current) return;
      layer.current?.remove();
      for (const place of places) {
        const target = linkTarget ? ` target="${linkTarget}"` : "";
        const address = [place.adresse, place.commune].filter(Boolean).map((part) => escapeHtml(part!)).join(", ");
        L.marker([place.latitude, place.longitude], { icon: markerIcon, title: place.nom, alt: place.nom, keyboard: true })
          .bindPopup(`<a href="${placeHref(place.id)}"${target}>${escapeHtml(place.nom)}</a><br>${address}`)
          .addTo(group);
      }
      group.addTo(current);
      layer.current = group;
      if (places.length > 0) current.fitBounds(group.getBounds(), { maxZoom: 14, padding: [24, 24] });
    });
    return () => {
      cancelled = true;
    };
  }, [places, placeHref, linkTarget]);

  return <div ref={container} className={small ? "fne-map fne-map--small" : "fne-map"} role="region" aria-label={label} />;
}

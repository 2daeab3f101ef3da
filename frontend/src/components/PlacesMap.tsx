/**
 * The map of places: loaded only on screens that show it (React.lazy), with Leaflet and marker clustering.
 * The base map is the State's Plan IGN (Géoplateforme WMTS tiles, URL and attribution from the site settings);
 * when its tiles cannot be reached (offline, blocked, no URL set), the followed department's commune outlines,
 * read from the observatory, stand in for it. The outlines are drawn in both cases: light over the tiles.
 * Every place shown here is also in the list next to it: the map is never the only way to reach one.
 */
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster/dist/MarkerCluster.css";
import "./PlacesMap.css";

import L from "leaflet";
import { useEffect, useRef, useState } from "react";

import { api, unwrap } from "../api/client";
import { FOLLOWED_DEPARTMENT } from "../lib/indicators";
import { siteInfo } from "../lib/site";

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
  /** Groups nearby markers (many places); without it, each marker shows its place's number in the list. */
  cluster?: boolean;
  /** The place shown as chosen (its card hovered or focused in the list beside the map). */
  highlighted?: string | null;
  /** Called when a marker is hovered or focused (its id), and left (null): the list beside follows. */
  onHighlight?: (id: string | null) => void;
}

const SAVOIE: L.LatLngBoundsExpression = [
  [45.05, 5.62],
  [45.94, 7.19],
];

/** Without a single tile after this long, or after this many failed tiles, the outlines take over. */
const TILE_PATIENCE_MS = 8000;
const TILE_FAILURES = 3;
const OUTLINE_OVER_TILES: L.PathOptions = { color: "#000091", weight: 0.6, opacity: 0.5, fillOpacity: 0 };
const OUTLINE_ALONE: L.PathOptions = { color: "#6a6af4", weight: 1, fillColor: "#e3e3fd", fillOpacity: 0.4 };
type BaseMap = "chargement" | "plan-ign" | "contours";

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

const markerIcon = L.divIcon({
  className: "fne-marker",
  html: "<span></span>",
  iconSize: [18, 18],
  iconAnchor: [9, 9],
});

/** A marker numbered like its card in the list (1, 2…): the eye goes from one to the other. */
function numberedIcon(number: number): L.DivIcon {
  return L.divIcon({
    className: "fne-marker fne-marker--numbered",
    html: `<span>${number}</span>`,
    iconSize: [26, 26],
    iconAnchor: [13, 13],
  });
}

async function clusterGroup(): Promise<L.FeatureGroup> {
  // The clustering plug-in extends the global `L`, as Leaflet plug-ins do.
  (window as unknown as { L: typeof L }).L = L;
  await import("leaflet.markercluster");
  return L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
}

export default function PlacesMap({
  places,
  placeHref,
  label,
  small = false,
  linkTarget,
  cluster = true,
  highlighted = null,
  onHighlight,
}: Props) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.FeatureGroup | null>(null);
  const markers = useRef(new Map<string, L.Marker>());
  const highlight = useRef(onHighlight);
  useEffect(() => {
    highlight.current = onHighlight;
  });
  const [baseMap, setBaseMap] = useState<BaseMap>("chargement");

  useEffect(() => {
    if (!container.current) return;
    // maxZoom is set for clustering, which needs it even when no tile layer gives one.
    const created = L.map(container.current, {
      scrollWheelZoom: false,
      keyboard: true,
      maxZoom: 18,
    }).fitBounds(SAVOIE);
    created.attributionControl.setPrefix(false);
    map.current = created;
    let cancelled = false;
    let timer: number | undefined;
    void siteInfo().then((info) => {
      if (cancelled) return;
      if (!info?.fond_carte_url) {
        setBaseMap("contours");
        return;
      }
      const tiles = L.tileLayer(info.fond_carte_url, {
        attribution: info.fond_carte_attribution,
        maxZoom: 19,
      });
      let failures = 0;
      let settled = false;
      const settle = (outcome: BaseMap) => {
        if (settled || cancelled) return;
        settled = true;
        window.clearTimeout(timer);
        if (outcome === "contours") tiles.remove();
        setBaseMap(outcome);
      };
      tiles.once("tileload", () => settle("plan-ign"));
      tiles.on("tileerror", () => {
        failures += 1;
        if (failures >= TILE_FAILURES) settle("contours");
      });
      timer = window.setTimeout(() => settle("contours"), TILE_PATIENCE_MS);
      tiles.addTo(created);
    });
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
      created.remove();
      map.current = null;
      layer.current = null;
    };
  }, []);

  useEffect(() => {
    let drawn: L.GeoJSON | undefined;
    let cancelled = false;
    if (baseMap === "chargement") return;
    void communeOutlines().then((collection) => {
      const current = map.current;
      if (cancelled || !current || !collection) return;
      drawn = L.geoJSON(collection, {
        style: baseMap === "plan-ign" ? OUTLINE_OVER_TILES : OUTLINE_ALONE,
        interactive: false,
      }).addTo(current);
      drawn.bringToBack();
    });
    return () => {
      cancelled = true;
      drawn?.remove();
    };
  }, [baseMap]);

  useEffect(() => {
    let cancelled = false;
    void (cluster ? clusterGroup() : Promise.resolve(L.featureGroup())).then((group) => {
      const current = map.current;
      if (cancelled || !current) return;
      layer.current?.remove();
      markers.current.clear();
      places.forEach((place, index) => {
        const target = linkTarget ? ` target="${linkTarget}"` : "";
        const address = [place.adresse, place.commune]
          .filter(Boolean)
          .map((part) => escapeHtml(part!))
          .join(", ");
        const title = cluster ? place.nom : `${index + 1}. ${place.nom}`;
        const icon = cluster ? markerIcon : numberedIcon(index + 1);
        const marker = L.marker([place.latitude, place.longitude], {
          icon,
          title,
          alt: title,
          keyboard: true,
        })
          .bindPopup(`<a href="${placeHref(place.id)}"${target}>${escapeHtml(place.nom)}</a><br>${address}`)
          .on("mouseover", () => highlight.current?.(place.id))
          .on("mouseout", () => highlight.current?.(null))
          .addTo(group);
        markers.current.set(place.id, marker);
      });
      group.addTo(current);
      // Focus comes to a marker's element (Tab), which exists once it is on the map.
      for (const [id, marker] of markers.current) {
        const element = marker.getElement();
        element?.addEventListener("focus", () => highlight.current?.(id));
        element?.addEventListener("blur", () => highlight.current?.(null));
      }
      layer.current = group;
      // Without animation: nothing left to run if the page is left at once (and no motion to sit through).
      if (places.length > 0)
        current.fitBounds(group.getBounds(), { maxZoom: 14, padding: [24, 24], animate: false });
    });
    return () => {
      cancelled = true;
    };
  }, [places, placeHref, linkTarget, cluster]);

  useEffect(() => {
    const marker = highlighted ? markers.current.get(highlighted) : undefined;
    marker?.getElement()?.classList.add("fne-marker--active");
    marker?.setZIndexOffset(1000);
    return () => {
      marker?.getElement()?.classList.remove("fne-marker--active");
      marker?.setZIndexOffset(0);
    };
  }, [highlighted, places]);

  return (
    <div
      ref={container}
      className={small ? "fne-map fne-map--small" : "fne-map"}
      role="region"
      aria-label={label}
      data-fond={baseMap}
    />
  );
}

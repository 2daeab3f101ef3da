/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** A raster tile URL for the maps, e.g. https://tiles.example.org/{z}/{x}/{y}.png; none: a plain background. */
  readonly VITE_MAP_TILE_URL?: string;
  readonly VITE_MAP_TILE_ATTRIBUTION?: string;
}

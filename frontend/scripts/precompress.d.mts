import type { Plugin } from "vite";

export function compressTree(directory: string): number;
export function precompress(): Plugin;
export function preloadFontsOnce(indexPath: string): void;

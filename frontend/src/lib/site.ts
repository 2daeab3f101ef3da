import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";

export type SiteInfo = components["schemas"]["SiteInfo"];

let pending: Promise<SiteInfo | null> | null = null;

/**
 * The instance's settings (its département, its base map), asked once per visit. A failure gives null and is
 * forgotten, so the next caller asks again: without them, suggestions are unordered and maps show outlines only.
 */
export function siteInfo(): Promise<SiteInfo | null> {
  pending ??= unwrap(api.GET("/api/site")).catch(() => {
    pending = null;
    return null;
  });
  return pending;
}

/** For tests: forget what was asked. */
export function forgetSiteInfo(): void {
  pending = null;
}

import { useEffect } from "react";

const SITE = "FNE Savoie";

/** Each screen has its own title (RGAA 8.6), read first by screen readers when the route changes. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} — ${SITE}` : SITE;
  }, [title]);
}

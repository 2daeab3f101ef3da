import { useEffect, useState } from "react";

/** Whether a CSS media query matches now, followed as the window changes (false where matchMedia is missing). */
export function useMediaQuery(query: string): boolean {
  const read = () =>
    typeof window !== "undefined" &&
    typeof window.matchMedia === "function" &&
    window.matchMedia(query).matches;
  const [matches, setMatches] = useState(read);
  useEffect(() => {
    if (typeof window.matchMedia !== "function") return;
    const list = window.matchMedia(query);
    const follow = () => setMatches(list.matches);
    follow();
    list.addEventListener("change", follow);
    return () => list.removeEventListener("change", follow);
  }, [query]);
  return matches;
}

/** The DSFR's "lg" breakpoint (992 px): from there on, the results list and the map sit side by side. */
export const WIDE_SCREEN = "(min-width: 62em)";

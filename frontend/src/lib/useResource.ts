import { useCallback, useEffect, useRef, useState } from "react";

import { type Problem, problemOf } from "../api/problem";

export interface Resource<T> {
  data: T | undefined;
  problem: Problem | undefined;
  loading: boolean;
  reload: () => void;
  /** The key whose answer (data or problem) is shown: equal to the current key once it has arrived. */
  loadedKey: string | null | undefined;
}

/**
 * Loads data whenever `key` (a string describing the request) changes, or on `reload()`; `null` loads nothing.
 * An answer to a superseded request is dropped, so a fast typist never sees an older search replace a newer one.
 */
export function useResource<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
  /** `key`'s answer when it is already known: shown at once, not asked again on mount. */
  initial?: T,
): Resource<T> {
  const [state, setState] = useState<{ data?: T; problem?: Problem; loading: boolean; key?: string | null }>(
    () => (initial === undefined ? { loading: key !== null } : { data: initial, loading: false, key }),
  );
  const known = useRef(initial !== undefined);
  const [generation, setGeneration] = useState(0);
  const latestLoad = useRef(load);
  useEffect(() => {
    latestLoad.current = load;
  });

  useEffect(() => {
    if (known.current) {
      known.current = false;
      return;
    }
    if (key === null) {
      setState({ loading: false, key });
      return;
    }
    const controller = new AbortController();
    // The previous data stays on screen while the next arrives: lists do not flash empty between pages.
    setState((previous) => ({ data: previous.data, loading: true, key: previous.key }));
    latestLoad.current(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ data, loading: false, key }),
      (error: unknown) =>
        !controller.signal.aborted && setState({ problem: problemOf(error), loading: false, key }),
    );
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data: state.data, problem: state.problem, loading: state.loading, reload, loadedKey: state.key };
}

import { useRef, useState } from "react";

import { type Problem, problemOf } from "../api/problem";

/**
 * Whether a failed write surely did not reach the service, so that sending it again cannot apply it twice:
 * the gateway could not connect to the service (503), or the browser could not reach the platform. A timeout
 * (504) or a broken answer (502) may come after the service acted: no retry is offered then.
 */
export function safeToResend(problem: Problem): boolean {
  return problem.code === "unreachable" || problem.status === 503;
}

/**
 * A form's submission state: busy while it runs, the API's problem when it fails. When the service was down,
 * the problem carries `retry`, which sends the same submission again (the same data, as it was when sent),
 * once: a second click while it runs, or after it succeeded, does nothing.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const running = useRef(false);
  const run = async (work: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setProblem(undefined);
    try {
      await work();
    } catch (error) {
      const found = problemOf(error);
      setProblem(safeToResend(found) ? { ...found, retry: () => void run(work) } : found);
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return { busy, problem, setProblem, run };
}

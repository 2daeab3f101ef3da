"""The web app's test suites, run by the README's test command: Vitest, the JavaScript budget, and the
end-to-end journeys in headless Chromium against the real platform (tests/e2e/app.test.mjs)."""

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from tests.e2e.conftest import CHROMIUM, FRONTEND, npm, require_tool

E2E_SCRIPT = Path(__file__).with_name("app.test.mjs")


def test_component_and_unit_tests(node_modules: Path) -> None:
    result = npm("run", "test", "--", "--reporter=dot")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]


def test_initial_javascript_stays_within_budget(frontend_dist: Path) -> None:
    result = subprocess.run(
        ["node", "scripts/check-budget.mjs", str(frontend_dist), "250"],
        cwd=FRONTEND,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_user_journeys_in_chromium(app_platform: dict[str, Any]) -> None:
    require_tool(
        Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    )
    # FNE_E2E_ONLY (a pattern of journey names) runs only those journeys; FNE_E2E_TIMEOUT (seconds) gives a
    # loaded machine more time.
    only = os.environ.get("FNE_E2E_ONLY")
    result = subprocess.run(
        [
            "node",
            "--test",
            "--test-reporter=spec",
            *([f"--test-name-pattern={only}"] if only else []),
            str(E2E_SCRIPT),
        ],
        env={**os.environ, "FNE_E2E": json.dumps(app_platform), "FNE_CHROMIUM": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=float(os.environ.get("FNE_E2E_TIMEOUT", "300")),
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-3000:]

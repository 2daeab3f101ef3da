"""The network in Chromium against the real platform (tests/e2e/network.test.mjs): a coordinator records and
edits a person, a training with its attendees, an itinerant permanence and an event, and follows a committee;
computes the roadmap from them and reads the indicators it filled on the scoreboard; a resident sees the
permanence on the place's page and finds the event in the agenda; axe at both widths."""

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from tests.e2e.conftest import CHROMIUM, require_tool

E2E_SCRIPT = Path(__file__).with_name("network.test.mjs")


def test_the_network_in_chromium(app_platform: dict[str, Any]) -> None:
    require_tool(
        Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    )
    result = subprocess.run(
        ["node", "--test", "--test-reporter=spec", str(E2E_SCRIPT)],
        env={**os.environ, "FNE_E2E": json.dumps(app_platform), "FNE_CHROMIUM": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=900,
    )
    if os.environ.get("FNE_E2E_SCREENSHOTS"):
        output = Path(os.environ["FNE_E2E_SCREENSHOTS"], "network-output.txt")
        output.write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-3000:]

"""Schema-based fuzzing of the running platform's merged OpenAPI document (schemathesis), anonymous and with a
key holding every API-key scope, on each database backend: no 5xx, and every answer as documented (status,
media type, body schema). A fixed seed and a small budget keep it reproducible and within CI's time: see
docs/security.md for what it covers and how to run it longer (FNE_FUZZ_EXAMPLES)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fne_kernel.identity import API_KEY_SCOPES
from tests.integration.conftest import Platform

pytestmark = pytest.mark.integration

SEED = "13"
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,"
    "response_headers_conformance"
)


def schemathesis() -> list[str]:
    executable = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    if executable is None:
        pytest.skip("schemathesis is not installed (pip install -e '.[test]')")
    return [executable]


def api_key(platform: Platform) -> str:
    scopes = [option for scope in sorted(API_KEY_SCOPES) for option in ("--scope", scope)]
    created = platform.fne("api-key", "create", "fuzzing", *scopes)
    assert created.returncode == 0, created.stderr
    return created.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("caller", ["anonymous", "api-key"])
def test_no_input_gets_a_server_error_or_an_undocumented_answer(
    platform: Platform, caller: str, tmp_path: Path
) -> None:
    command = [
        *schemathesis(),
        "run",
        f"{platform.url}/api/openapi.json",
        "--checks",
        CHECKS,
        "--seed",
        SEED,
        "--max-examples",
        os.environ.get("FNE_FUZZ_EXAMPLES", "2"),
        "--phases",
        os.environ.get("FNE_FUZZ_PHASES", "examples,fuzzing"),
        "--workers",
        "2",
        "--no-shrink",
        "--generation-database",
        "none",
        "--request-timeout",
        "20",
        "--generation-with-security-parameters",
        "false",
        "--suppress-health-check",
        "all",
        "--no-color",
        "--exclude-path-regex",
        "^/api/auth/(logout|password|account/password)$",
        "--report",
        "junit",
        "--report-junit-path",
        str(tmp_path / "junit.xml"),
    ]
    if caller == "api-key":
        command += ["--header", f"Authorization: Bearer {api_key(platform)}"]
    root = Path(__file__).resolve().parents[2]
    environment = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.integration.schemathesis_hooks",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
    }
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=root, env=environment)
    if run.returncode != 0 and "FAILURES" not in run.stdout and "Runtime Error" in run.stdout:
        # schemathesis's own error (seen: a FlakyFailure from its generation cache), no answer of ours
        # at fault: one more run; a real failure comes back with the same seed.
        run = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=root, env=environment)
    (tmp_path / "schemathesis.txt").write_text(run.stdout + run.stderr)
    failures = run.stdout.split("FAILURES", 1)[-1] if "FAILURES" in run.stdout else run.stdout
    assert run.returncode == 0, failures[:20000] + run.stderr[-3000:]

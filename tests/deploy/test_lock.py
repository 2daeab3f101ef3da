"""The Python lock files are in step with pyproject.toml: every dependency (and extra) is pinned there, with
hashes, at a version its bounds allow (`./fne lock` renews them)."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")


def pins(lock: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in (ROOT / lock).read_text().splitlines():
        if match := PIN.match(line):
            found[canonicalize_name(match.group(1))] = match.group(3)
    return found


def requirements(*extras: str) -> list[Requirement]:
    project = PYPROJECT["project"]
    listed = list(project["dependencies"])
    for extra in extras:
        listed += project["optional-dependencies"][extra]
    return [Requirement(text) for text in listed]


@pytest.mark.parametrize(
    ("lock", "extras"), [("requirements.lock", ()), ("requirements-dev.lock", ("test", "dev"))]
)
def test_every_dependency_is_pinned_within_its_bounds(lock: str, extras: tuple[str, ...]) -> None:
    pinned = pins(lock)
    for requirement in requirements(*extras):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not in {lock}: run ./fne lock"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {requirement.name}=={pinned[name]}, outside {requirement.specifier}: run ./fne lock"
        )


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_pin_carries_hashes(lock: str) -> None:
    text = (ROOT / lock).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    assert entries and all("--hash=sha256:" in entry for entry in entries if PIN.match(entry))


def test_the_runtime_lock_holds_no_test_tool() -> None:
    runtime = pins("requirements.lock")
    tools = [
        "pytest",
        "pytest-asyncio",
        "pytest-xdist",
        "hypothesis",
        "schemathesis",
        "ruff",
        "mypy",
        "pre-commit",
    ]
    assert not [tool for tool in tools if tool in runtime]

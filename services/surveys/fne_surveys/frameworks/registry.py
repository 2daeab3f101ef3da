"""Loads every framework definition file: the shipped ones, then those of SURVEYS_FRAMEWORKS_DIR."""

import json
from importlib.resources import files
from pathlib import Path

from pydantic import ValidationError

from fne_surveys.frameworks.models import Framework

SHIPPED_DIR = Path(str(files("fne_surveys") / "data" / "frameworks"))


class FrameworkFileError(Exception):
    """A definition file that does not describe a framework: the service refuses to start with it."""


class Frameworks:
    """Every known version of every framework, by code and version."""

    def __init__(self, frameworks: list[Framework]) -> None:
        self._by_key: dict[tuple[str, str], Framework] = {}
        for framework in frameworks:
            if (framework.code, framework.version) in self._by_key:
                raise FrameworkFileError(f"{framework.key} défini deux fois")
            self._by_key[(framework.code, framework.version)] = framework

    @classmethod
    def load(cls, extra_dir: Path | None = None) -> "Frameworks":
        paths = sorted(SHIPPED_DIR.glob("*.json"))
        if extra_dir is not None:
            paths += sorted(extra_dir.glob("*.json"))
        frameworks = []
        for path in paths:
            try:
                frameworks.append(Framework.model_validate(json.loads(path.read_text(encoding="utf-8"))))
            except (ValueError, ValidationError) as exc:
                raise FrameworkFileError(f"{path} : {exc}") from exc
        return cls(frameworks)

    def get(self, code: str, version: str) -> Framework | None:
        return self._by_key.get((code, version))

    def latest(self, code: str) -> Framework | None:
        """The last-listed version of a code (files are read in name order, extra directory last)."""
        versions = [framework for (known, _), framework in self._by_key.items() if known == code]
        return versions[-1] if versions else None

    def all(self) -> list[Framework]:
        return sorted(self._by_key.values(), key=lambda framework: (framework.code, framework.version))

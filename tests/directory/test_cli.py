"""`fne directory load-territories` on a database of its own (SQLite: the command is the same on every
backend; the loader's results, and a second load changing nothing, are checked in test_territories.py)."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fne_cli.main import app
from fne_kernel import migrations


@pytest.mark.database  # its own SQLite file, migrated
def test_loading_the_communes_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    url = f"sqlite+aiosqlite:///{tmp_path / 'directory.db'}"
    monkeypatch.setenv("DIRECTORY_DATABASE_URL", url)
    runner = CliRunner()
    refused = runner.invoke(app, ["directory", "load-territories"])
    assert refused.exit_code == 1 and "fne migrate directory" in refused.output

    migrations.upgrade("fne_directory", url)
    loaded = runner.invoke(app, ["directory", "load-territories"])
    assert loaded.exit_code == 0, loaded.output
    assert "34920 ajoutées, 0 modifiées, 0 inchangées" in loaded.output and "COG 2025" in loaded.output

"""`fne observatory …` on a database of its own (SQLite: the commands are the same on every backend)."""

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fne_cli.main import app
from fne_kernel import migrations
from fne_kernel.db import create_engine, session_factory
from fne_observatory.imports import service
from fne_observatory.imports.schemas import ImportParameters
from tests.observatory.factories import IFN_FILE, ifn_parameters


async def publish_ifn(url: str) -> None:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session, session.begin():
            item = await service.create_import(
                session,
                IFN_FILE.read_bytes(),
                "ifn.csv",
                ImportParameters.model_validate(ifn_parameters()),
                "test",
            )
            await service.publish(session, item, "test")
    finally:
        await engine.dispose()


@pytest.mark.database  # its own SQLite file, migrated
def test_loading_reference_data_then_refreshing_what_was_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    url = f"sqlite+aiosqlite:///{tmp_path / 'observatory.db'}"
    monkeypatch.setenv("OBSERVATORY_DATABASE_URL", url)
    runner = CliRunner()
    refused = runner.invoke(app, ["observatory", "load-reference"])
    assert refused.exit_code == 1 and "fne migrate observatory" in refused.output

    migrations.upgrade("fne_observatory", url)
    reference = runner.invoke(app, ["observatory", "load-reference"])
    assert reference.exit_code == 0, reference.output
    assert "4 axes, 21 objectifs, 74 indicateurs, 8 jalons" in reference.output
    territories = runner.invoke(app, ["observatory", "load-territories", "--departements", "73"])
    assert territories.exit_code == 0, territories.output
    assert "273 commune" in territories.output and "populations municipales 2017" in territories.output
    assert "0 valeurs republiées" in territories.output

    # Territories loaded again (a new release of the package): what was published is rebuilt on them.
    asyncio.run(publish_ifn(url))
    again = runner.invoke(app, ["observatory", "load-territories", "--departements", "73"])
    assert again.exit_code == 0 and f"{6 * (273 + 18 + 3)} valeurs republiées" in again.output
    assert (
        runner.invoke(
            app, ["observatory", "sync-surveys", "--referentiel", "pix", "--periode", "semaine"]
        ).exit_code
        == 2
    )


def test_computing_the_roadmap_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    url = f"sqlite+aiosqlite:///{tmp_path / 'observatory.db'}"
    monkeypatch.setenv("OBSERVATORY_DATABASE_URL", url)
    monkeypatch.setenv("OBSERVATORY_COOP_TOKEN", "")
    migrations.upgrade("fne_observatory", url)
    runner = CliRunner()
    assert runner.invoke(app, ["observatory", "load-reference"]).exit_code == 0
    unknown = runner.invoke(app, ["observatory", "compute-roadmap", "--source", "astrologie"])
    assert unknown.exit_code == 2 and "source inconnue" in unknown.output
    # Only the committees here: none recorded yet, so nothing to publish, and it says so.
    own = runner.invoke(app, ["observatory", "compute-roadmap", "--source", "observatoire"])
    assert own.exit_code == 0, own.output
    assert "observatoire : aucune valeur à publier" in own.output

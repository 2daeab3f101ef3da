"""`fne sync …` and the CronJob that runs it."""

from pathlib import Path

import yaml
from typer.testing import CliRunner

from fne_cli.main import app
from fne_directory.config import Settings
from tests.deploy.test_manifests import KUBERNETES, parse_fne

CRONJOB = KUBERNETES / "cronjob-sync.yaml"


def test_the_cronjob_runs_a_real_command_with_real_settings() -> None:
    [cronjob] = list(yaml.safe_load_all(CRONJOB.read_text()))
    assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
    [container] = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    assert parse_fne(container["command"])[0] == "sync"
    assert container["command"] == ["fne", "sync", "due"]
    for variable in container["env"]:
        assert variable["name"].removeprefix("DIRECTORY_").lower() in Settings.model_fields, variable["name"]


def test_bad_arguments_are_refused_before_touching_any_database(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DIRECTORY_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'absent' / 'x.db'}")
    monkeypatch.setenv("DIRECTORY_SYNC_DORA_URL", "")
    runner = CliRunner()
    not_configured = runner.invoke(app, ["sync", "run", "dora"])
    assert not_configured.exit_code == 2 and "DIRECTORY_SYNC_DORA_URL" in not_configured.output
    broken = tmp_path / "lieux.json"
    broken.write_text('[{"nom": "Tronqu')
    unreadable = runner.invoke(app, ["sync", "import", str(broken), "--source", "cd73"])
    assert unreadable.exit_code == 2 and "JSON illisible" in unreadable.output
    wrong_format = runner.invoke(app, ["sync", "import", str(broken), "--source", "cd73", "--format", "xlsx"])
    assert wrong_format.exit_code == 2
    assert not (tmp_path / "absent").exists()

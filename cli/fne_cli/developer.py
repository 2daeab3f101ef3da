"""The developer's commands: `fne test` (all, or `--fast`), `fne lint` (the gate CI runs first) and `fne
lock`."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

FRONTEND = Path("frontend")
SCHEMA = FRONTEND / "src" / "api" / "schema.ts"


def _tool(name: str) -> str:
    """A tool installed beside this Python (the project's venv), else on the PATH."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else name


def test(
    context: typer.Context,
    fast: Annotated[
        bool, typer.Option(help="Only the unit tests: no database, no process, no browser (under a minute).")
    ] = False,
    workers: Annotated[
        int | None, typer.Option(help="Run the tests in N processes (pytest-xdist); 0 = one per core.")
    ] = None,
) -> None:
    """Run the test suite (extra arguments go to pytest)."""
    command = [sys.executable, "-m", "pytest"]
    if fast:
        command += ["-m", "unit", "-q"]
    if workers is not None:
        command += ["-n", str(workers or "auto")]
    raise typer.Exit(subprocess.call([*command, *context.args]))


def _npm(*arguments: str) -> list[str]:
    return ["npm", "--prefix", str(FRONTEND), "run", "--silent", *arguments]


def check_api_client() -> int:
    """Regenerates the web app's API types from the backends' merged OpenAPI document and compares them with
    the committed src/api/schema.ts (`npm run generate-api` rewrites it)."""
    with tempfile.TemporaryDirectory() as directory:
        document, generated = Path(directory) / "openapi.json", Path(directory) / "schema.ts"
        with document.open("w") as output:
            done = subprocess.run(
                [sys.executable, str(FRONTEND / "scripts" / "openapi_document.py")],
                stdout=output,
                check=False,
            )
        if done.returncode:
            return done.returncode
        openapi_typescript = FRONTEND / "node_modules" / ".bin" / "openapi-typescript"
        command = [
            str(openapi_typescript),
            str(document),
            "-o",
            str(generated),
            "--enum-values",
            "--root-types",
        ]
        if subprocess.run(command, capture_output=True, check=False).returncode:
            typer.echo("openapi-typescript failed", err=True)
            return 1
        if generated.read_text() != SCHEMA.read_text():
            typer.echo(
                f"{SCHEMA} does not match the backends' OpenAPI: run `cd frontend && npm run generate-api`",
                err=True,
            )
            return 1
    return 0


def lint(
    python: Annotated[bool, typer.Option(help="ruff and mypy.")] = True,
    frontend: Annotated[bool, typer.Option(help="ESLint, Prettier, tsc and the API client check.")] = True,
) -> None:
    """Run the gate: ruff (lint + format), mypy, ESLint, Prettier, tsc, and the generated API client check."""
    steps: list[tuple[str, list[str] | None]] = []
    if python:
        steps += [
            ("ruff check", [_tool("ruff"), "check", "."]),
            ("ruff format --check", [_tool("ruff"), "format", "--check", "."]),
            ("mypy", [_tool("mypy")]),
        ]
    if frontend and (FRONTEND / "package.json").exists():
        if not (FRONTEND / "node_modules").exists():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
        steps += [
            ("eslint", _npm("lint")),
            ("prettier --check", _npm("format:check")),
            ("tsc", ["npx", "--prefix", str(FRONTEND), "tsc", "--noEmit", "-p", str(FRONTEND)]),
            ("API client matches the backends", None),
        ]
    failed = []
    for name, command in steps:
        started = time.monotonic()
        typer.echo(f"== {name}")
        code = check_api_client() if command is None else subprocess.call(command)
        typer.echo(f"   {name}: {'ok' if code == 0 else 'FAILED'} in {time.monotonic() - started:.1f} s")
        if code:
            failed.append(name)
    if failed:
        typer.echo(f"Gate failed: {', '.join(failed)}", err=True)
        raise typer.Exit(1)


def lock() -> None:
    """Re-resolve the Python dependencies into requirements.lock (runtime) and requirements-dev.lock (tests
    and tools), with hashes, from pyproject.toml: the newest versions its bounds allow
    (docs/operations.md)."""
    uv = shutil.which("uv") or _tool("uv")
    common = ["pip", "compile", "pyproject.toml", "--universal", "--python-version", "3.11"]
    common += ["--generate-hashes", "--upgrade", "--quiet", "--custom-compile-command", "./fne lock"]
    env = dict(os.environ, UV_NO_CONFIG="1")
    for output, extras in (("requirements.lock", []), ("requirements-dev.lock", ["test", "dev"])):
        arguments = [flag for extra in extras for flag in ("--extra", extra)]
        subprocess.run([uv, *common, *arguments, "-o", output], check=True, env=env)
        typer.echo(f"{output} : à jour")

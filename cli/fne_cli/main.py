"""`fne`: run, migrate and administer the platform from the command line."""

import getpass
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from fne_cli import developer
from fne_cli.components import COMPONENTS, GATEWAY, SERVICES, Component
from fne_cli.directory import directory_app, ensure_territories
from fne_cli.observatory import ensure_reference, observatory_app
from fne_cli.sessions import run_in_session
from fne_cli.surveys import surveys_app
from fne_cli.sync import sync_app
from fne_kernel import migrations
from fne_kernel.identity import API_KEY_SCOPES, Role, generate_private_key_pem, public_key_pem

app = typer.Typer(
    help="Plateforme FNE Savoie : annuaire, observatoire, questionnaires.", no_args_is_help=True
)
api_key_app = typer.Typer(help="Clés d'API des plateformes partenaires.", no_args_is_help=True)
app.add_typer(api_key_app, name="api-key")
app.add_typer(directory_app, name="directory")
app.add_typer(observatory_app, name="observatory")
app.add_typer(sync_app, name="sync")
app.add_typer(surveys_app, name="surveys")

DEFAULT_KEY_DIR = Path("var/identity")


def _component(name: str) -> Component:
    if name not in COMPONENTS:
        raise typer.BadParameter(f"composant inconnu : {name} (parmi {', '.join(COMPONENTS)})")
    return COMPONENTS[name]


@app.command()
def keys(directory: Path = DEFAULT_KEY_DIR, force: bool = False) -> None:
    """Create the gateway's Ed25519 identity key pair (private for the gateway, public for the services)."""
    private_path, public_path = directory / "identity-private.pem", directory / "identity-public.pem"
    if private_path.exists() and not force:
        typer.echo(f"Clés déjà présentes dans {directory}")
        return
    directory.mkdir(parents=True, exist_ok=True)
    private_pem = generate_private_key_pem()
    private_path.touch(mode=0o600)
    private_path.write_text(private_pem)
    public_path.write_text(public_key_pem(private_pem))
    typer.echo(f"Clés créées dans {directory}")


@app.command()
def migrate(components: Annotated[list[str] | None, typer.Argument()] = None) -> None:
    """Upgrade the databases of the given components (all by default) to their latest migration."""
    for name in components or list(COMPONENTS):
        component = _component(name)
        migrations.upgrade(component.package, component.settings().database_url)
        typer.echo(f"{name} : migrations à jour")


@app.command()
def serve(component: str, host: str = "127.0.0.1", port: int | None = None, workers: int = 1) -> None:
    """Run one component (as a container does): `fne serve directory --port 8001`."""
    import uvicorn

    selected = _component(component)
    uvicorn.run(
        selected.app_factory,
        factory=True,
        host=host,
        port=port or selected.default_port,
        workers=workers,
        access_log=False,
        proxy_headers=False,
        server_header=False,
    )


def _build_frontend() -> None:
    frontend = Path("frontend")
    if not (frontend / "package.json").exists():
        return
    if not (frontend / "node_modules").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=frontend, check=True)
    subprocess.run(["npm", "run", "build"], cwd=frontend, check=True)


@app.command()
def up(host: str = "127.0.0.1", port: int = GATEWAY.default_port, frontend: bool = True) -> None:
    """Set up and run the whole platform (four services and the gateway) on this machine."""
    keys(DEFAULT_KEY_DIR, force=False)
    env = dict(os.environ)
    for service in SERVICES:
        env.setdefault(
            f"{service.env_prefix}IDENTITY_PUBLIC_KEY", str(DEFAULT_KEY_DIR / "identity-public.pem")
        )
        env.setdefault(f"GATEWAY_{service.name.upper()}_URL", f"http://127.0.0.1:{service.default_port}")
    env.setdefault("GATEWAY_IDENTITY_PRIVATE_KEY", str(DEFAULT_KEY_DIR / "identity-private.pem"))
    # The gateway's metrics on their own loopback port (the services' are on theirs: /metrics).
    env.setdefault("GATEWAY_METRICS_PORT", str(port + 9))
    os.environ.update(env)
    migrate(None)
    ensure_territories()
    ensure_reference()
    if frontend:
        _build_frontend()

    processes: list[subprocess.Popen[bytes]] = []
    for component in (*SERVICES, GATEWAY):
        bind_host = host if component is GATEWAY else "127.0.0.1"
        bind_port = port if component is GATEWAY else component.default_port
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "fne_cli",
                    "serve",
                    component.name,
                    "--host",
                    bind_host,
                    "--port",
                    str(bind_port),
                ],
                env=env,
            )
        )
    typer.echo(f"Plateforme démarrée : http://{host}:{port} (documentation : http://{host}:{port}/api/docs)")

    def stop(*_: object) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    finally:
        stop()
        for process in processes:
            process.wait(timeout=15)
    failed = [p.returncode for p in processes if p.returncode not in (0, -signal.SIGTERM, -signal.SIGINT)]
    raise typer.Exit(1 if failed else 0)


@app.command("create-admin")
def create_admin(email: str, name: str = "Administrateur", role: Role = Role.ADMIN) -> None:
    """Create an account (admin by default). The password comes from FNE_PASSWORD or a prompt, never argv."""
    from fne_gateway.auth import service
    from fne_gateway.auth.passwords import password_problem

    password = os.environ.get("FNE_PASSWORD") or getpass.getpass(
        "Mot de passe (12 caractères au moins hors espaces, difficile à deviner) : "
    )
    if problem := password_problem(password, email, name):
        raise typer.BadParameter(problem)
    user = run_in_session(
        GATEWAY,
        lambda session: service.create_user(
            session, email=email, display_name=name, password=password, role=role
        ),
    )
    typer.echo(f"Compte {user.email} ({user.role}) créé : {user.id}")


@api_key_app.command("create")
def api_key_create(name: str, scope: Annotated[list[str], typer.Option(help="Portée, répétable")]) -> None:
    """Create an API key; its secret is printed once."""
    from fne_gateway.auth import service

    unknown = sorted(set(scope) - API_KEY_SCOPES)
    if unknown:
        raise typer.BadParameter(f"portées inconnues : {unknown} (parmi {sorted(API_KEY_SCOPES)})")
    api_key, secret = run_in_session(
        GATEWAY,
        lambda session: service.create_api_key(
            session, name=name, scopes=scope, created_by=None, expires_at=None
        ),
    )
    typer.echo(f"Clé {api_key.id} ({', '.join(api_key.scopes)}) :\n{secret}")


@api_key_app.command("list")
def api_key_list() -> None:
    """List API keys (never their secrets)."""
    from fne_gateway.auth import service

    for key in run_in_session(GATEWAY, service.list_api_keys):
        state = "révoquée" if key.revoked_at else "active"
        used = key.last_used_at.isoformat() if key.last_used_at else "jamais"
        typer.echo(
            f"{key.id}  fne_{key.prefix}_…  {key.name}  [{', '.join(key.scopes)}]  {state}  utilisée : {used}"
        )


@api_key_app.command("revoke")
def api_key_revoke(key_id: str) -> None:
    """Revoke an API key."""
    from fne_gateway.auth import service

    run_in_session(GATEWAY, lambda session: service.revoke_api_key(session, key_id))
    typer.echo(f"Clé {key_id} révoquée")


@app.command("backup")
def backup_command(
    components: Annotated[list[str] | None, typer.Argument()] = None,
    to: Annotated[Path, typer.Option(help="Dossier des sauvegardes")] = Path("var/backups"),
    keep: Annotated[int, typer.Option(help="Sauvegardes gardées par composant (0 : toutes)")] = 0,
) -> None:
    """Back up the databases of the given components (all by default), each to a file of its own."""
    from fne_cli import backup

    for name in components or list(COMPONENTS):
        component = _component(name)
        try:
            written = backup.backup(name, component.settings().database_url, to)
        except backup.BackupError as exc:
            raise typer.BadParameter(f"{name} : {exc}") from exc
        typer.echo(f"{name} : sauvegardé dans {written}")
        for removed in backup.prune(name, to, keep):
            typer.echo(f"{name} : {removed.name} supprimée (--keep {keep})")


@app.command("restore")
def restore_command(
    component: str,
    file: Path,
    yes: Annotated[bool, typer.Option("--yes", help="Sans demander confirmation")] = False,
) -> None:
    """Replace a component's database with a backup (stop that component first), then migrate it."""
    from fne_cli import backup

    selected = _component(component)
    if not yes:
        typer.confirm(f"Remplacer toutes les données de {component} par {file} ?", abort=True)
    try:
        backup.restore(selected.settings().database_url, file)
    except backup.BackupError as exc:
        raise typer.BadParameter(str(exc)) from exc
    # A backup taken before an upgrade is brought to the current schema (expand/contract: docs/operations.md).
    migrations.upgrade(selected.package, selected.settings().database_url)
    typer.echo(f"{component} : restauré depuis {file}")


app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(developer.test)
app.command()(developer.lint)
app.command()(developer.lock)

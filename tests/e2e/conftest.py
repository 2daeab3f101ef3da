"""The web app against the real platform: built once, served by the real gateway, with seeded places.

Node and Chromium (Debian's /usr/bin/chromium, or FNE_CHROMIUM) are needed; without them these tests skip
with the reason, except in CI (CI=true), where a missing tool is a failure, never a silent skip.
"""

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import Databases
from tests.fakes import proconnect
from tests.integration.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, Platform, login_admin, platform  # noqa: F401
from tests.support import free_port

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
CHROMIUM = os.environ.get("FNE_CHROMIUM", "/usr/bin/chromium")


def require_tool(present: bool, reason: str) -> None:
    if present:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run the front-end tests: .ci/run installs it)")
    pytest.skip(reason)


def npm(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["npm", *args], cwd=FRONTEND, capture_output=True, text=True, timeout=timeout)


@contextmanager
def frontend_lock() -> Iterator[None]:
    """Held while installing or building the web app: the test processes of one run (pytest-xdist) share
    frontend/."""
    directory = os.open(FRONTEND, os.O_RDONLY)  # a lock on the directory itself: no file to leave behind
    try:
        fcntl.flock(directory, fcntl.LOCK_EX)
        yield
    finally:
        os.close(directory)


@pytest.fixture(scope="session")
def node_modules() -> Path:
    require_tool(
        shutil.which("node") is not None and shutil.which("npm") is not None,
        "Node.js 20 and npm are not installed",
    )
    with frontend_lock():
        if not (FRONTEND / "node_modules" / ".package-lock.json").exists():
            installed = npm("ci", "--no-audit", "--no-fund")
            assert installed.returncode == 0, installed.stdout + installed.stderr
    return FRONTEND / "node_modules"


# What the build is made from; the rest of frontend/ is its output or installed from package-lock.json.
NOT_BUILD_SOURCES = {"node_modules", "dist", "public/dsfr", "openapi.json"}
BUILD_STAMP = FRONTEND / "dist" / ".vite" / "fne-sources.sha256"


def build_sources_digest() -> str:
    """A digest of every file the build is made from (names and contents), and of Node's version."""
    digest = hashlib.sha256(subprocess.run(["node", "--version"], capture_output=True).stdout)
    files = []
    for directory, subdirectories, names in os.walk(FRONTEND):
        relative = Path(directory).relative_to(FRONTEND)
        subdirectories[:] = [
            name for name in subdirectories if (relative / name).as_posix() not in NOT_BUILD_SOURCES
        ]
        files += [relative / name for name in names if (relative / name).as_posix() not in NOT_BUILD_SOURCES]
    for file in sorted(files):
        content = (FRONTEND / file).read_bytes()
        digest.update(f"{file.as_posix()}\0{len(content)}\0".encode() + content)
    return digest.hexdigest()


@pytest.fixture(scope="session")
def frontend_dist(node_modules: Path) -> Path:
    """The production build of the current sources: made once, and again only when a source changed (CI's
    frontend stage builds it; its e2e stage, another test session, uses the same build)."""
    with frontend_lock():  # pytest-xdist's workers: one builds, the others wait and use its build
        sources = build_sources_digest()
        if not BUILD_STAMP.exists() or BUILD_STAMP.read_text() != sources:
            # A busy shared machine builds in minutes, not seconds.
            built = npm("run", "build", timeout=900)
            assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
            BUILD_STAMP.write_text(sources)
    return FRONTEND / "dist"


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Databases:
    # The front end sees the API, not the database: one backend is enough here (the services' own tests
    # cover PostgreSQL), and it keeps the browser suite within its time budget.
    return Databases("sqlite", tmp_path_factory.mktemp("db-e2e"))


PLACES: dict[str, dict[str, Any]] = {
    "open_chambery": {
        "nom": "France Services de Chambéry",
        "adresse": "1 place du Palais de Justice",
        "code_postal": "73000",
        "code_insee": "73065",
        "latitude": 45.5646,
        "longitude": 5.9178,
        "horaires": "Mo-Su 00:00-24:00",
        "telephone": "04 79 60 20 00",
        "courriels": ["france-services@chambery.fr"],
        "prise_rdv": "https://rdv.example.org/chambery",
        "presentation_resume": "Aide aux démarches en ligne et accès à un ordinateur.",
        "services": ["Aide aux démarches administratives", "Accès internet et matériel informatique"],
        "publics_specifiquement_adresses": ["Seniors"],
        "frais_a_charge": ["Gratuit"],
        "dispositif_programmes_nationaux": ["France Services"],
        "modalites_acces": ["Se présenter", "Téléphoner"],
        "modalites_accompagnement": ["Accompagnement individuel"],
    },
    "closed_chambery": {
        "nom": "Atelier numérique du Biollay",
        "adresse": "10 rue du Biollay",
        "code_postal": "73000",
        "code_insee": "73065",
        "latitude": 45.5580,
        "longitude": 5.9250,
        "horaires": "Mo-Su off",
        "services": ["Maîtrise des outils numériques du quotidien"],
        "frais_a_charge": ["Gratuit"],
    },
    "open_albertville": {
        "nom": "Médiathèque d'Albertville",
        "adresse": "Place de l'Europe",
        "code_postal": "73200",
        "code_insee": "73011",
        "latitude": 45.6755,
        "longitude": 6.3925,
        "horaires": "24/7",
        "services": ["Aide aux démarches administratives"],
        "frais_a_charge": ["Gratuit"],
    },
}


# A short toile: three scored capacities, the third asked only to people who have internet at home.
TOILE = {
    "code": "toile-e2e",
    "title": {"fr": "Toile des capacités numériques"},
    "mode": "both",
    "questions": [
        {
            "key": "equipement",
            "type": "scale",
            "label": {"fr": "Je sais allumer et utiliser un ordinateur"},
            "required": True,
            "minimum": 0,
            "maximum": 4,
        },
        {
            "key": "internet_maison",
            "type": "yes_no",
            "label": {"fr": "Avez-vous internet chez vous ?"},
            "required": True,
        },
        {
            "key": "internet",
            "type": "scale",
            "label": {"fr": "Je sais chercher une information sur internet"},
            "required": True,
            "minimum": 0,
            "maximum": 4,
            "relevant": "${internet_maison} = 'yes'",
        },
        {
            "key": "communiquer",
            "type": "scale",
            "label": {"fr": "Je sais envoyer un courriel"},
            "required": True,
            "minimum": 0,
            "maximum": 4,
        },
    ],
    "scoring": {
        "version": "1",
        "frameworks": {"toile-capacites": "2026-1"},
        "rules": [
            {"question": key, "dimension": f"toile-capacites/{key}", "kind": "value"}
            for key in ("equipement", "internet", "communiquer")
        ],
    },
}


async def _survey_campaign(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, str]:
    """The toile published and a campaign open to mediators and by public link."""
    created = await client.post("/api/surveys/questionnaires", json=TOILE, headers=headers)
    assert created.status_code == 201, created.text
    questionnaire_id = created.json()["id"]
    published = await client.post(
        f"/api/surveys/questionnaires/{questionnaire_id}/publication", headers=headers
    )
    assert published.status_code == 200, published.text
    campaign = await client.post(
        "/api/surveys/campagnes",
        headers=headers,
        json={
            "nom": "Autonomie numérique 2026",
            "questionnaire_id": questionnaire_id,
            "structure": "France Services",
            "mode": "both",
        },
    )
    assert campaign.status_code == 201, campaign.text
    return {"campaign_id": campaign.json()["id"], "public_token": campaign.json()["jeton_public"]}


MEETING = {
    "type": "comite_suivi",
    "date": "2026-03-12",
    "titre": "Comité de suivi de printemps",
    "lieu": "Chambéry",
    "documents": [{"titre": "Diaporama du comité", "url": "https://www.savoie.fr/comite-2026-03.pdf"}],
    "notes": "Prochain comité en juin.",
}

COORDINATOR = {
    "email": "coordination@savoie.fr",
    "display_name": "Coordination Savoie",
    "role": "coordinator",
}
COORDINATOR_PASSWORD = "coordination solide 73"


@pytest.fixture(scope="module")
def fake_proconnect() -> Iterator[str]:
    """The local OpenID provider speaking ProConnect's protocol, as a process the browser reaches."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.proconnect", str(port)], cwd=Path(__file__).resolve().parents[2]
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{url}/.well-known/openid-configuration", timeout=1).raise_for_status()
            break
        except httpx.HTTPError:
            assert process.poll() is None and time.monotonic() < deadline, "the fake ProConnect did not start"
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
async def app_platform(
    platform: Platform,  # noqa: F811
    frontend_dist: Path,
    fake_proconnect: str,
) -> AsyncIterator[dict[str, Any]]:
    """The platform's gateway serving the build, reference communes loaded, a coordinator, the seeded places;
    ProConnect sign-in through the local provider."""
    await platform.load_reference_data()
    platform.stop("gateway")
    platform.env["GATEWAY_FRONTEND_DIR"] = str(frontend_dist)
    platform.env |= {
        "GATEWAY_PUBLIC_URL": platform.url,
        "GATEWAY_PROCONNECT_ISSUER": fake_proconnect,
        "GATEWAY_PROCONNECT_CLIENT_ID": proconnect.CLIENT_ID,
        "GATEWAY_PROCONNECT_CLIENT_SECRET": proconnect.CLIENT_SECRET,
    }
    platform.start("gateway")
    await platform.wait_ready()
    async with httpx.AsyncClient(base_url=platform.url, timeout=10) as client:
        headers = await login_admin(client)
        created = await client.post("/api/auth/users", json=COORDINATOR, headers=headers)
        assert created.status_code == 201, created.text
        password_set = await client.post(
            "/api/auth/password",
            json={"token": created.json()["password_token"]["token"], "new_password": COORDINATOR_PASSWORD},
        )
        assert password_set.status_code == 204, password_set.text
        ids = {}
        for key, payload in PLACES.items():
            created = await client.post("/api/directory/lieux", json=payload, headers=headers)
            assert created.status_code == 201, created.text
            ids[key] = created.json()["id"]
        survey = await _survey_campaign(client, headers)
    # The observatory's indicators computed from the places (its territories and roadmap are loaded above).
    done = platform.fne(
        "observatory", "compute-directory", OBSERVATORY_DIRECTORY_URL=f"{platform.url}/api/directory"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    async with httpx.AsyncClient(base_url=platform.url, timeout=10) as client:
        meeting = await client.post(
            "/api/observatory/comites", headers=await login_admin(client), json=MEETING
        )
        assert meeting.status_code == 201, meeting.text
    yield {
        "url": platform.url,
        "places": ids,
        "admin_email": ADMIN_EMAIL,
        "admin_password": ADMIN_PASSWORD,
        "coordinator_email": COORDINATOR["email"],
        "coordinator_password": COORDINATOR_PASSWORD,
        "survey": survey,
        "meeting_id": meeting.json()["id"],
    }

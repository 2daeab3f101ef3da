"""The web app on a weak phone (issue #14): a seeded platform started on free ports, then bench/webapp.mjs.

    .venv/bin/python bench/webapp.py [--runs 3] [--places 60] [--no-build] [--trace warm|cold]
    .venv/bin/python bench/webapp.py --compression-only
    .venv/bin/python bench/webapp.py --no-build --serve     (a seeded platform to look at, until Ctrl-C)

Builds the web app (unless --no-build), starts the three services and the gateway serving the build on SQLite
in a throw-away directory, loads the reference communes, creates an administrator and `--places` places around
Chambéry, then measures the search page's first visit in Chromium at 1.6 Mbps / 150 ms / CPU 4× (cold and warm
cache): Largest Contentful Paint ≤ 2.5 s and first results ≤ 3 s are the issue's goals.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import free_port

from fne_gateway.proxy import gzip_bytes
from fne_kernel.identity import generate_private_key_pem, public_key_pem

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("directory", "observatory", "surveys")
ADMIN, PASSWORD = "bench@example.org", "bench webapp solide 73"


def fne(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fne_cli", *args], env=env, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise SystemExit(f"fne {' '.join(args)}: {done.stdout[-2000:]}{done.stderr[-2000:]}")


async def seed(url: str, count: int) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        login = await client.post("/api/auth/login", json={"email": ADMIN, "password": PASSWORD})
        headers = {"x-csrf-token": login.json()["csrf_token"]}
        for index in range(count):
            place = {
                "nom": f"Espace numérique {index + 1}",
                "adresse": f"{index + 1} rue de la République",
                "code_postal": "73000",
                "code_insee": "73065",
                "latitude": 45.56 + index * 0.001,
                "longitude": 5.91 + index * 0.001,
                "horaires": "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
                "telephone": "04 79 60 20 00",
                "services": ["Aide aux démarches administratives"],
                "frais_a_charge": ["Gratuit"],
                "presentation_resume": "Aide aux démarches en ligne.",
            }
            created = await client.post("/api/directory/lieux", json=place, headers=headers)
            created.raise_for_status()


async def gzip_cost(url: str) -> dict[str, float]:
    """The first search's JSON as the page asks for it: its size, gzipped by the gateway, and the gateway's
    CPU time to compress it (fne_gateway.proxy.gzip_bytes, median of 500, this process)."""
    async with httpx.AsyncClient(base_url=url) as client:
        plain = await client.get(
            "/api/directory/lieux?facettes=true&size=20", headers={"accept-encoding": "identity"}
        )
        wire = await client.get(
            "/api/directory/lieux?facettes=true&size=20", headers={"accept-encoding": "gzip"}
        )
    durations = []
    for _ in range(500):
        started = time.process_time_ns()
        gzip_bytes(plain.content)
        durations.append(time.process_time_ns() - started)
    durations.sort()
    levels = {}
    for level in (1, 5, 6, 9):
        times = []
        for _ in range(200):
            started = time.process_time_ns()
            size = len(zlib.compress(plain.content, level))
            times.append(time.process_time_ns() - started)
        levels[f"level_{level}"] = {"bytes": size, "cpu_ms_median": round(sorted(times)[100] / 1e6, 3)}
    return {
        "zlib_levels": levels,
        "json_bytes": len(plain.content),
        "gzip_bytes_on_the_wire": int(wire.headers.get("content-length", 0)),
        "content_encoding": wire.headers.get("content-encoding", ""),
        "gzip_cpu_ms_median": round(durations[len(durations) // 2] / 1e6, 3),
        "gzip_cpu_ms_p95": round(durations[int(len(durations) * 0.95)] / 1e6, 3),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--places", type=int, default=60)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--dist", type=Path, default=ROOT / "frontend" / "dist", help="the build to serve")
    parser.add_argument(
        "--port-base",
        type=int,
        default=0,
        help="use four consecutive ports from this one (default: free ports)",
    )
    parser.add_argument(
        "--trace",
        choices=("warm", "cold"),
        help="instead of the measures, one visit recorded as a performance trace (bench/webapp_trace.mjs)",
    )
    parser.add_argument(
        "--compression-only",
        action="store_true",
        help="only what gzipping the first search's JSON costs the gateway (no browser)",
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="start and seed the platform, print its address, and keep it running until interrupted",
    )
    options = parser.parse_args()
    if not options.no_build:
        subprocess.run(["npm", "run", "build"], cwd=ROOT / "frontend", check=True, capture_output=True)
    with tempfile.TemporaryDirectory(prefix="fne-bench-webapp-") as scratch:
        directory = Path(scratch)
        private = generate_private_key_pem()
        (directory / "private.pem").write_text(private)
        (directory / "public.pem").write_text(public_key_pem(private))
        if options.port_base:
            names = ("gateway", *SERVICES)
            ports = {name: options.port_base + offset for offset, name in enumerate(names)}
        else:
            ports = {"gateway": free_port(), **{name: free_port() for name in SERVICES}}
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("GATEWAY_", "DIRECTORY_", "OBSERVATORY_", "SURVEYS_"))
        }
        env |= {
            "GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{directory}/gateway.db",
            "GATEWAY_IDENTITY_PRIVATE_KEY": str(directory / "private.pem"),
            "GATEWAY_FRONTEND_DIR": str(options.dist),
            "GATEWAY_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000",
        }
        for name in SERVICES:
            env[f"{name.upper()}_DATABASE_URL"] = f"sqlite+aiosqlite:///{directory}/{name}.db"
            env[f"{name.upper()}_IDENTITY_PUBLIC_KEY"] = str(directory / "public.pem")
            env[f"GATEWAY_{name.upper()}_URL"] = f"http://127.0.0.1:{ports[name]}"
        fne(env, "migrate")
        fne({**env, "FNE_PASSWORD": PASSWORD}, "create-admin", ADMIN, "--name", "Banc d'essai")
        fne(env, "directory", "load-territories")
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "fne_cli", "serve", name, "--port", str(port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for name, port in ports.items()
        ]
        try:
            url = f"http://127.0.0.1:{ports['gateway']}"
            deadline = time.monotonic() + 90
            async with httpx.AsyncClient(base_url=url) as client:
                while time.monotonic() < deadline:
                    try:
                        if (await client.get("/api/directory/lieux?size=1")).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    await asyncio.sleep(0.3)
            await seed(url, options.places)
            if options.serve:
                print(url, flush=True)
                await asyncio.Event().wait()
            compression = await gzip_cost(url)
            if options.compression_only:
                print(json.dumps(compression, indent=2))
                return
            script = [str(ROOT / "bench" / "webapp.mjs"), url, str(options.runs)]
            if options.trace:
                script = [str(ROOT / "bench" / "webapp_trace.mjs"), url, options.trace]
            measured = subprocess.run(
                ["node", *script],
                capture_output=True,
                text=True,
                timeout=900,
            )
            if measured.returncode != 0:
                raise SystemExit(measured.stderr[-3000:])
            result = json.loads(measured.stdout)
            result["gateway_gzip"] = compression
            result["uptime"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
            print(json.dumps(result, indent=2))
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=10)


if __name__ == "__main__":
    asyncio.run(main())

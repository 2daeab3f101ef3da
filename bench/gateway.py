#!/usr/bin/env python3
"""Gateway overhead benchmark (issue #2): a trivial route called directly, through nginx, through the gateway.

Starts, on free ports of 127.0.0.1 and in a throw-away directory:

* the directory service (`fne serve directory`, one uvicorn worker), whose GET /health touches no database;
* the gateway (`fne serve gateway`, one uvicorn worker) in front of it, rate limits raised so that nothing is
  throttled (the limiter still runs, so its cost is measured), reached anonymously and with an API key;
* nginx (Debian package, one worker, access log off), a plain reverse proxy to the same route: the reference;
* with --calibrate, two more references: the same route in a bare FastAPI app (no kernel middleware), and a
  minimal FastAPI + aiohttp proxy to the directory service (the gateway without its own layers).

Then loads each target with wrk at each concurrency level, in interleaved rounds (the order is reversed every
other round, so a drift of the shared machine does not favour one target; a run disturbed by other processes
is measured again while the time budget allows), and prints markdown tables of the median over rounds:
requests/s and the latency percentiles wrk reports (p50, p90, p99), the throughput ratio to the direct call,
the latency a proxy adds at the median, and the CPU time each process spent per request.
Goal: the gateway keeps >= 50 % of the direct throughput and adds <= 1 ms at the median.

    .venv/bin/python bench/gateway.py                   # the four targets, about 3 minutes
    .venv/bin/python bench/gateway.py --calibrate       # plus the two references, under 5 minutes
    .venv/bin/python bench/gateway.py --gc-stats        # also count the gateway's garbage-collection pauses
    .venv/bin/python bench/gateway.py --json out.json   # also write every sample as JSON
    .venv/bin/python bench/gateway.py --profile gw.svg  # then profile the gateway under load with py-spy
    .venv/bin/python bench/gateway.py --serve           # start the stack, print wrk commands, wait
    .venv/bin/python bench/gateway.py --login-flood     # directory p50 idle vs under 4 clients posting logins

Needs wrk and nginx (`apt-get install wrk nginx-light`). Sends traffic to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from common import (
    AUTOGROUP,
    cpu_seconds,
    free_port,
    machine_busy_seconds,
    machine_info,
    run_wrk,
    set_priority,
)

INSTALL_HINT = "apt-get install wrk nginx-light"
READY_TIMEOUT = 60.0
GOAL_THROUGHPUT_RATIO = 0.5
GOAL_ADDED_MEDIAN_MS = 1.0
RATE_LIMIT = "100000000"
PACKAGES = ("fastapi", "starlette", "pydantic", "uvicorn", "uvloop", "httptools", "aiohttp")

# Records how long each full (generation 2) collection stopped the process it is loaded in, one line per
# collection; loaded through PYTHONPATH into the gateway with --gc-stats.
GC_STATS_SITECUSTOMIZE = """
import gc, os, time
_path = os.environ["FNE_BENCH_GC_STATS"]
_started = [0.0]
def _on_gc(phase, info):
    if info["generation"] != 2:
        return
    if phase == "start":
        _started[0] = time.perf_counter()
        return
    with open(_path, "a") as f:
        f.write("%.3f\\n" % ((time.perf_counter() - _started[0]) * 1000))
gc.callbacks.append(_on_gc)
"""


class Stopped(Exception):
    """SIGTERM or SIGINT: stop measuring, then stop every process this script started."""


def _stop(signum: int, _frame: object) -> None:
    raise Stopped(signal.Signals(signum).name)


# --------------------------------------------------------------------------------------------- environment


def require_tools(nginx_needed: bool = True) -> tuple[str, str]:
    wrk = shutil.which("wrk")
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    needed = (("wrk", wrk), ("nginx", nginx if nginx_needed else ""))
    missing = [name for name, path in needed if path is None]
    if missing:
        sys.exit(f"missing: {', '.join(missing)} — install with: {INSTALL_HINT}")
    return wrk, nginx  # type: ignore[return-value]


def load_average() -> float:
    return os.getloadavg()[0]


def child_pids(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return children


# ------------------------------------------------------------------------------------------- reference apps


def reference_app(kind: str, upstream: str) -> Any:
    """The --calibrate references, run by this same script in their own process (see --reference-app)."""
    from fastapi import FastAPI

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    if kind == "bare":

        @app.get("/health")
        async def health() -> dict[str, str]:
            return {"status": "ok", "service": "directory"}

        return app

    import aiohttp

    hop_by_hop = {"connection", "keep-alive", "transfer-encoding", "upgrade", "host", "te", "trailer"}
    not_copied_back = {name.encode() for name in hop_by_hop | {"date", "server"}}
    sessions: list[aiohttp.ClientSession] = []

    class MinimalProxy:
        """What any aiohttp-based proxy does: copy the request's headers, one pooled call, copy the answer."""

        def __init__(self, app: Any) -> None:
            self.app = app

        async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http" or not scope["path"].startswith("/api/directory/"):
                await self.app(scope, receive, send)
                return
            if not sessions:
                sessions.append(
                    aiohttp.ClientSession(
                        connector=aiohttp.TCPConnector(limit=256),
                        auto_decompress=False,
                        skip_auto_headers=("User-Agent", "Accept-Encoding"),
                    )
                )
            headers = {
                name.decode("latin-1"): value.decode("latin-1")
                for name, value in scope["headers"]
                if name.decode("latin-1") not in hop_by_hop
            }
            url = upstream + scope["path"][len("/api/directory") :]
            async with sessions[0].request(
                scope["method"], url, headers=headers, allow_redirects=False
            ) as response:
                body = await response.read()
                await send(
                    {
                        "type": "http.response.start",
                        "status": response.status,
                        "headers": [
                            (name.lower(), value)
                            for name, value in response.raw_headers
                            if name.lower() not in not_copied_back
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})

    app.add_middleware(MinimalProxy)
    return app


def serve_reference_app(kind: str, port: int, upstream: str) -> None:
    import uvicorn

    # As `fne serve` runs the components: uvloop and httptools when installed, no access log, one worker.
    uvicorn.run(
        reference_app(kind, upstream),
        host="127.0.0.1",
        port=port,
        access_log=False,
        server_header=False,
        proxy_headers=False,
        log_level="warning",
    )


# ----------------------------------------------------------------------------------------------- the stack


@dataclass
class Target:
    url: str
    wrk_args: list[str]
    processes: list[str]  # whose CPU time serves this target's requests, the front one first


@dataclass
class Stack:
    workdir: Path
    calibrate: bool
    gc_stats: bool
    ports: dict[str, int] = field(default_factory=dict)
    api_key: str = ""
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    nginx_workers: list[int] = field(default_factory=list)
    with_nginx: bool = True

    def targets(self) -> dict[str, Target]:
        gateway = f"http://127.0.0.1:{self.ports['gateway']}/api/directory/health"
        targets = {
            "direct": Target(f"http://127.0.0.1:{self.ports['directory']}/health", [], ["directory"]),
            **(
                {
                    "nginx": Target(
                        f"http://127.0.0.1:{self.ports['nginx']}/api/directory/health",
                        [],
                        ["nginx", "directory"],
                    )
                }
                if self.with_nginx
                else {}
            ),
            "gateway": Target(gateway, [], ["gateway", "directory"]),
            "gateway+key": Target(
                gateway, ["-H", f"Authorization: Bearer {self.api_key}"], ["gateway", "directory"]
            ),
        }
        if self.calibrate:
            targets["fastapi-bare"] = Target(
                f"http://127.0.0.1:{self.ports['fastapi-bare']}/health", [], ["fastapi-bare"]
            )
            targets["aiohttp-proxy"] = Target(
                f"http://127.0.0.1:{self.ports['aiohttp-proxy']}/api/directory/health",
                [],
                ["aiohttp-proxy", "directory"],
            )
        return targets

    def pids(self, name: str) -> list[int]:
        return [self.processes[name].pid, *(self.nginx_workers if name == "nginx" else [])]

    def gc_pauses(self) -> list[float]:
        """The pause (ms) of each full collection of the gateway so far."""
        try:
            return [float(line) for line in (self.workdir / "gc-gateway.txt").read_text().split()]
        except (OSError, ValueError):
            return []


def fne(*args: str, env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "fne_cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        sys.exit(f"`fne {' '.join(args)}` failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def nginx_config(workdir: Path, listen_port: int, upstream_port: int) -> str:
    temp = workdir / "nginx"
    user = "user root root;\n" if os.geteuid() == 0 else ""  # its worker must reach the temp paths below
    return f"""{user}daemon off;
worker_processes 1;
pid {temp}/nginx.pid;
error_log {temp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    upstream directory {{
        server 127.0.0.1:{upstream_port};
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{listen_port};
        location /api/directory/ {{
            proxy_pass http://directory/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


def start_stack(nginx: str, stack: Stack) -> None:
    """Prepares keys, databases and an API key, then launches the processes (recorded in `stack`)."""
    workdir = stack.workdir
    names = ["directory", "gateway", "nginx", *(["fastapi-bare", "aiohttp-proxy"] if stack.calibrate else [])]
    stack.ports = {name: free_port() for name in names}
    # The processes run in the throw-away directory: no .env of the work tree is read.
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GATEWAY_", "DIRECTORY_"))}
    fne("keys", "--directory", str(workdir), env=base, cwd=workdir)
    directory_env = {
        **base,
        "DIRECTORY_IDENTITY_PUBLIC_KEY": str(workdir / "identity-public.pem"),
        "DIRECTORY_DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'directory.db'}",
        "DIRECTORY_ACCESS_LOG": "false",
    }
    gateway_env = {
        **base,
        "GATEWAY_IDENTITY_PRIVATE_KEY": str(workdir / "identity-private.pem"),
        "GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'gateway.db'}",
        "GATEWAY_DIRECTORY_URL": f"http://127.0.0.1:{stack.ports['directory']}",
        "GATEWAY_ACCESS_LOG": "false",
        "GATEWAY_RATE_LIMIT_ANONYMOUS_PER_MINUTE": RATE_LIMIT,
        "GATEWAY_RATE_LIMIT_AUTHENTICATED_PER_MINUTE": RATE_LIMIT,
        # The login flood must reach the password hashing: no throttle stops it first.
        "GATEWAY_RATE_LIMIT_LOGIN_PER_MINUTE": RATE_LIMIT,
        "GATEWAY_RATE_LIMIT_LOGIN_ACCOUNT_PER_MINUTE": RATE_LIMIT,
        "GATEWAY_RATE_LIMIT_LOGIN_GLOBAL_PER_MINUTE": RATE_LIMIT,
    }
    fne("migrate", "directory", env=directory_env, cwd=workdir)
    fne("migrate", "gateway", env=gateway_env, cwd=workdir)
    stack.api_key = (
        fne("api-key", "create", "bench", "--scope", "directory:write", env=gateway_env, cwd=workdir)
        .strip()
        .splitlines()[-1]
        .strip()
    )
    fne("create-admin", FLOOD_EMAIL, env={**gateway_env, "FNE_PASSWORD": FLOOD_PASSWORD}, cwd=workdir)
    if stack.gc_stats:
        (workdir / "gc").mkdir()
        (workdir / "gc" / "sitecustomize.py").write_text(GC_STATS_SITECUSTOMIZE)
        gateway_env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(workdir / "gc"), base.get("PYTHONPATH")])
        )
        gateway_env["FNE_BENCH_GC_STATS"] = str(workdir / "gc-gateway.txt")

    (workdir / "nginx").mkdir()
    config = workdir / "nginx" / "nginx.conf"
    config.write_text(nginx_config(workdir, stack.ports["nginx"], stack.ports["directory"]))

    def launch(name: str, command: list[str], env: dict[str, str]) -> None:
        with open(workdir / f"{name}.log", "wb") as log:
            stack.processes[name] = subprocess.Popen(
                command, env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )

    serve = [sys.executable, "-m", "fne_cli", "serve"]
    launch(
        "directory",
        [*serve, "directory", "--host", "127.0.0.1", "--port", str(stack.ports["directory"])],
        directory_env,
    )
    launch(
        "gateway",
        [*serve, "gateway", "--host", "127.0.0.1", "--port", str(stack.ports["gateway"])],
        gateway_env,
    )
    if stack.with_nginx:
        launch("nginx", [nginx, "-p", str(workdir / "nginx"), "-c", str(config)], base)
    for kind in ("fastapi-bare", "aiohttp-proxy") if stack.calibrate else ():
        launch(
            kind,
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--reference-app",
                kind.split("-")[1],
                "--port",
                str(stack.ports[kind]),
                "--upstream",
                f"http://127.0.0.1:{stack.ports['directory']}",
            ],
            base,
        )


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def wait_ready(stack: Stack) -> None:
    """Polls every target until it answers 200, and checks that the API key really authenticates."""
    deadline = time.monotonic() + READY_TIMEOUT
    pending = dict(stack.targets())
    while pending:
        for name, process in stack.processes.items():
            if process.poll() is not None:
                log = (stack.workdir / f"{name}.log").read_text(errors="replace")[-3000:]
                sys.exit(f"{name} exited with {process.returncode}:\n{log}")
        for name, target in list(pending.items()):
            headers = dict([target.wrk_args[1].split(": ", 1)]) if target.wrk_args else {}
            try:
                status, body = get(target.url, headers)
            except (OSError, ValueError):
                continue
            if status == 200 and body.get("service") == "directory":
                del pending[name]
        if pending and time.monotonic() > deadline:
            sys.exit(f"not ready after {READY_TIMEOUT:.0f} s: {', '.join(pending)}")
        time.sleep(0.2)
    status, me = get(
        f"http://127.0.0.1:{stack.ports['gateway']}/api/directory/me",
        {"Authorization": f"Bearer {stack.api_key}"},
    )
    if status != 200 or me.get("kind") != "api_key":
        sys.exit(f"the API key does not authenticate through the gateway: {status} {me}")
    if stack.with_nginx:
        stack.nginx_workers = child_pids(stack.processes["nginx"].pid)


def stop_stack(stack: Stack) -> None:
    for process in stack.processes.values():
        if process.poll() is None:
            process.terminate()
    for name, process in stack.processes.items():
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop, killing it", file=sys.stderr)
            process.kill()
            process.wait(timeout=5)


# -------------------------------------------------------------------------------------------------- wrk


@dataclass
class Sample:
    target: str
    connections: int
    round: int
    requests_per_second: float
    p50_ms: float
    p75_ms: float
    p90_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    cpu_us_per_request: dict[str, float] = field(default_factory=dict)  # process (and "wrk") -> µs
    cpu_busy: dict[str, float] = field(default_factory=dict)  # process -> share of one core over the run
    other_load: float = 0.0  # cores used meanwhile by processes outside the benchmark: the noise
    attempts: int = 1
    gc_full_collections: int = 0
    gc_pause_ms: float = 0.0
    gc_longest_pause_ms: float = 0.0


def load(wrk: str, target: Target, connections: int, seconds: int) -> dict[str, Any]:
    """wrk -t2 -c<connections> -d<seconds>s --latency, figures parsed (common.run_wrk)."""
    return run_wrk(wrk, target.url, connections, seconds, target.wrk_args)


def measure(stack: Stack, wrk: str, name: str, connections: int, seconds: int, round_number: int) -> Sample:
    """One wrk run, with the CPU time each involved process (and wrk itself) spent on it."""
    target = stack.targets()[name]
    before = {process: sum(cpu_seconds(pid) for pid in stack.pids(process)) for process in target.processes}
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    gc_before = stack.gc_pauses()
    machine_before = machine_busy_seconds()
    all_pids = [pid for process in stack.processes for pid in stack.pids(process)]
    all_before = sum(cpu_seconds(pid) for pid in all_pids)
    started = time.monotonic()
    figures = load(wrk, target, connections, seconds)
    elapsed = time.monotonic() - started
    machine_spent = machine_busy_seconds() - machine_before
    all_spent = sum(cpu_seconds(pid) for pid in all_pids) - all_before
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent = {
        process: sum(cpu_seconds(pid) for pid in stack.pids(process)) - before[process]
        for process in target.processes
    }
    spent["wrk"] = after_children.ru_utime + after_children.ru_stime - children.ru_utime - children.ru_stime
    requests = max(1, figures["requests"])
    pauses = stack.gc_pauses()[len(gc_before) :] if "gateway" in target.processes else []
    return Sample(
        target=name,
        connections=connections,
        round=round_number,
        **{f.name: figures[f.name] for f in fields(Sample) if f.name in figures},
        cpu_us_per_request={process: cpu * 1e6 / requests for process, cpu in spent.items()},
        cpu_busy={process: cpu / elapsed for process, cpu in spent.items()},
        other_load=max(0.0, (machine_spent - all_spent - spent["wrk"]) / elapsed),
        gc_full_collections=len(pauses),
        gc_pause_ms=sum(pauses),
        gc_longest_pause_ms=max(pauses, default=0.0),
    )


# ------------------------------------------------------------------------------------------- login flood

FLOOD_EMAIL, FLOOD_PASSWORD = "banc@savoie.fr", "les marmottes du Revard"
GOAL_FLOOD_RATIO = 2.0


def flood_logins(url: str, stop: threading.Event, counts: list[int]) -> None:
    """One client posting logins back to back (right password: each costs a full Argon2 verification)."""
    body = json.dumps({"email": FLOOD_EMAIL, "password": FLOOD_PASSWORD}).encode()
    while not stop.is_set():
        request = urllib.request.Request(url, data=body, headers={"content-type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
            counts[0] += 1
        except (urllib.error.URLError, TimeoutError):
            counts[1] += 1


def login_flood(stack: Stack, wrk: str, seconds: int, rounds: int, clients: int, connections: int) -> bool:
    """The directory's p50 through the gateway, idle and while `clients` post logins, interleaved rounds."""
    target = stack.targets()["gateway"]
    login_url = f"http://127.0.0.1:{stack.ports['gateway']}/api/auth/login"
    load(wrk, target, connections, 3)  # warm-up
    idle: list[float] = []
    flooded: list[float] = []
    logins = [0, 0]
    for round_number in range(rounds):
        idle.append(load(wrk, target, connections, seconds)["p50_ms"])
        stop = threading.Event()
        threads = [
            threading.Thread(target=flood_logins, args=(login_url, stop, logins)) for _ in range(clients)
        ]
        for thread in threads:
            thread.start()
        time.sleep(1)  # the flood under way before measuring
        flooded.append(load(wrk, target, connections, seconds)["p50_ms"])
        stop.set()
        for thread in threads:
            thread.join()
        print(
            f"  round {round_number + 1}: p50 idle {idle[-1]:.2f} ms, under {clients} login clients "
            f"{flooded[-1]:.2f} ms",
            flush=True,
        )
    ratio = statistics.median(flooded) / max(statistics.median(idle), 1e-6)
    met = ratio <= GOAL_FLOOD_RATIO
    print(
        f"\n| directory via the gateway, c={connections} | p50 idle "
        f"| p50 under {clients} login clients | ratio |"
    )
    print("| --- | --- | --- | --- |")
    print(
        f"| median of {rounds} rounds × {seconds} s | {statistics.median(idle):.2f} ms | "
        f"{statistics.median(flooded):.2f} ms | {ratio:.2f} |"
    )
    print(f"\nlogins answered during the floods: {logins[0]} ({logins[1]} failed)")
    print(f"Goal (p50 under the flood <= {GOAL_FLOOD_RATIO:g} × idle): {'MET' if met else 'MISSED'}\n")
    return met


# ------------------------------------------------------------------------------------------------ report


def median_sample(group: list[Sample]) -> dict[str, Any]:
    row: dict[str, Any] = {
        name: statistics.median(getattr(s, name) for s in group)
        for name in ("requests_per_second", "p50_ms", "p75_ms", "p90_ms", "p99_ms")
    }
    row["gc_full_collections"] = sum(s.gc_full_collections for s in group)  # over all the rounds
    row["gc_pause_ms"] = sum(s.gc_pause_ms for s in group)
    row["seconds"] = sum(s.requests / s.requests_per_second for s in group if s.requests_per_second)
    row["errors"] = sum(s.non_2xx + s.socket_errors for s in group)
    row["cpu_us_per_request"] = {
        p: statistics.median(s.cpu_us_per_request[p] for s in group) for p in group[0].cpu_us_per_request
    }
    row["cpu_busy"] = {p: statistics.median(s.cpu_busy[p] for s in group) for p in group[0].cpu_busy}
    row["gc_longest_pause_ms"] = max(s.gc_longest_pause_ms for s in group)
    row["other_load"] = max(s.other_load for s in group)
    return row


def report(
    samples: list[Sample], targets: dict[str, Target], levels: list[int], rounds: int, gc_stats: bool
) -> tuple[str, list[str], bool]:
    groups: dict[tuple[str, int], list[Sample]] = {}
    for sample in samples:
        groups.setdefault((sample.target, sample.connections), []).append(sample)
    summary = {key: median_sample(group) for key, group in groups.items()}

    throughput = [
        "| target | connections | req/s | req/s per round | vs direct | p50 | p90 | p99 | added at p50 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    cpu = [
        "| target | connections | wrk | front process | directory service | total | busiest process "
        "| other load |" + (" gateway's full GCs, all rounds: stopped |" if gc_stats else ""),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if gc_stats else ""),
    ]
    verdicts: list[str] = []
    met = True
    for level in levels:
        direct = summary[("direct", level)]
        for name, target in targets.items():
            row = summary[(name, level)]
            ratio = row["requests_per_second"] / direct["requests_per_second"]
            added = row["p50_ms"] - direct["p50_ms"]
            per_round = " / ".join(f"{s.requests_per_second:,.0f}" for s in groups[(name, level)])
            throughput.append(
                f"| {name} | {level} | {row['requests_per_second']:,.0f} | {per_round} | {ratio:.0%} "
                f"| {row['p50_ms']:.2f} ms | {row['p90_ms']:.2f} ms | {row['p99_ms']:.2f} ms "
                f"| {'—' if name == 'direct' else f'{added:+.2f} ms'} |"
            )
            us = row["cpu_us_per_request"]
            services = ("directory", "fastapi-bare")
            front = target.processes[0] if target.processes[0] not in services else None
            service = next((p for p in target.processes if p in services), None)
            service_cell = "—"
            if service:
                service_cell = f"{us[service]:.0f} µs" + (" (bare app)" if service == "fastapi-bare" else "")
            busiest = max(target.processes, key=lambda p: row["cpu_busy"][p])
            gc_cell = ""
            if gc_stats:
                gc_cell = (
                    f" {row['gc_full_collections']} in {row['seconds']:.0f} s: "
                    f"{row['gc_pause_ms']:.0f} ms, longest {row['gc_longest_pause_ms']:.0f} ms |"
                    if "gateway" in target.processes
                    else " — |"
                )
            cpu.append(
                f"| {name} | {level} | {us['wrk']:.0f} µs | "
                f"{f'{us[front]:.0f} µs ({front})' if front else '—'} | "
                f"{service_cell} "
                f"| {sum(us.values()):.0f} µs | {busiest} {row['cpu_busy'][busiest]:.0%} "
                f"| {row['other_load']:.2f} core |{gc_cell}"
            )
            if name.startswith("gateway"):
                ok_throughput = ratio >= GOAL_THROUGHPUT_RATIO
                ok_latency = added <= GOAL_ADDED_MEDIAN_MS
                met = met and ok_throughput and ok_latency
                verdicts.append(
                    f"{name} at {level} connections: {ratio:.0%} of direct throughput "
                    f"({'met' if ok_throughput else 'MISSED'}, goal >= {GOAL_THROUGHPUT_RATIO:.0%}), "
                    f"{added:+.2f} ms at p50 ({'met' if ok_latency else 'MISSED'}, goal <= "
                    f"{GOAL_ADDED_MEDIAN_MS:g} ms)"
                )
            if row["errors"]:
                verdicts.append(
                    f"WARNING: {name} at {level} connections had {row['errors']:.0f} "
                    f"errors or non-2xx responses: its figures are not valid"
                )
                met = False
    text = (
        "Throughput and latency (median of the rounds; latency percentiles as wrk reports them)\n\n"
        + "\n".join(throughput)
        + "\n\nCPU time per request, by process (median of the rounds; busiest process: its share of "
        "one core; other load: cores used meanwhile by processes outside the benchmark, the worst "
        "round)\n\n" + "\n".join(cpu)
    )
    return text, verdicts, met


# ----------------------------------------------------------------------------------------------- profile


def profile_gateway(stack: Stack, wrk: str, output: Path, seconds: int, connections: int) -> None:
    """Samples the gateway with py-spy while wrk loads it with the API key (after the measurement)."""
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not os.access(py_spy, os.X_OK):
        print(f"py-spy not found: `{sys.executable} -m pip install py-spy`", file=sys.stderr)
        return
    formats = {".svg": "flamegraph", ".json": "speedscope"}
    log_path = stack.workdir / "py-spy.log"
    with open(log_path, "wb") as log:
        spy = subprocess.Popen(
            [
                py_spy,
                "record",
                "--pid",
                str(stack.processes["gateway"].pid),
                "--rate",
                "100",
                "--duration",
                str(seconds + 1),
                "--format",
                formats.get(output.suffix, "raw"),
                "--output",
                str(output),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        time.sleep(1)
        figures = load(wrk, stack.targets()["gateway+key"], connections, seconds)
    finally:
        try:
            spy.wait(timeout=30)
        except subprocess.TimeoutExpired:
            spy.kill()
            spy.wait()
    if spy.returncode != 0:
        print(
            f"py-spy failed ({spy.returncode}):\n{log_path.read_text(errors='replace')[-2000:]}",
            file=sys.stderr,
        )
        return
    print(
        f"profiled gateway+key at {connections} connections ({figures['requests_per_second']:,.0f} req/s "
        f"under py-spy): {output}"
    )


# -------------------------------------------------------------------------------------------------- main


def serve_until_stopped(stack: Stack, wrk: str) -> None:
    print(", ".join(f"{name} pid {process.pid}" for name, process in stack.processes.items()))
    for name, target in stack.targets().items():
        header = f" -H '{target.wrk_args[1]}'" if target.wrk_args else ""
        print(f"{name:14} {wrk} -t2 -c32 -d10s --latency{header} {target.url}")
    print("Ctrl-C (or SIGTERM) stops everything", flush=True)
    while all(process.poll() is None for process in stack.processes.values()):
        time.sleep(1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--duration", type=int, default=5, help="seconds of each wrk run (default 5)")
    parser.add_argument(
        "--rounds", type=int, default=4, help="interleaved rounds, the median is reported (default 4)"
    )
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per target (default 3)")
    parser.add_argument(
        "--connections", type=int, nargs="+", default=[8, 32], help="concurrency levels (default 8 32)"
    )
    parser.add_argument(
        "--max-other-load",
        type=float,
        help="a run during which processes outside the benchmark used more cores than this "
        "is measured again, once, while the time budget allows (default 0.25; none with "
        "--nice, where others only get the CPU the benchmark leaves idle)",
    )
    parser.add_argument(
        "--budget",
        type=int,
        default=290,
        help="seconds the whole script may take; runs are only repeated within it (default 290)",
    )
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="add a bare FastAPI route and a minimal FastAPI + aiohttp proxy as references",
    )
    parser.add_argument(
        "--gc-stats",
        action="store_true",
        help="count the gateway's full garbage collections and their pauses",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="scheduling priority of the benchmark's processes (inherited by the servers and "
        "wrk); a negative value, as root, keeps other work on a shared machine from "
        "disturbing the measurement (default 0)",
    )
    parser.add_argument("--json", type=Path, help="also write the samples and the machine description here")
    parser.add_argument(
        "--profile",
        type=Path,
        help="after measuring, profile the gateway with py-spy into this file "
        "(.svg flame graph, .json speedscope, anything else raw collapsed stacks)",
    )
    parser.add_argument("--serve", action="store_true", help="only start the stack, print wrk commands, wait")
    parser.add_argument(
        "--login-flood",
        action="store_true",
        help="only measure the directory's p50 through the gateway idle and under a login "
        "flood (4 clients; nginx not needed)",
    )
    parser.add_argument("--flood-clients", type=int, default=4, help="login clients of --login-flood")
    parser.add_argument("--reference-app", choices=["bare", "proxy"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--upstream", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.reference_app:
        serve_reference_app(args.reference_app, args.port, args.upstream)
        return

    began = time.monotonic()
    wrk, nginx = require_tools(nginx_needed=not args.login_flood)
    autogroup_nice = set_priority(args.nice) if args.nice else None
    if args.max_other_load is None:
        args.max_other_load = float("inf") if args.nice < 0 else 0.25
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    info = machine_info({"wrk": f"{wrk} -v", "nginx": f"{nginx} -v"}, PACKAGES)
    info["wrk"] = info["wrk"].split(" Copyright")[0]
    info["nginx"] = info["nginx"].removeprefix("nginx version: ")
    info["load_average_before"] = round(load_average(), 2)
    info["nice"] = os.getpriority(os.PRIO_PROCESS, 0)
    print(
        f"# gateway overhead — {info['date']}, {info['commit']}, {info['cpus']} × {info['cpu_model']}, "
        f"{info['memory']}, load average {info['load_average_before']}, nice {info['nice']}",
        flush=True,
    )

    with tempfile.TemporaryDirectory(prefix="fne-bench-") as tmp:
        stack = Stack(
            workdir=Path(tmp),
            calibrate=args.calibrate,
            gc_stats=args.gc_stats,
            with_nginx=not args.login_flood,
        )
        try:
            start_stack(nginx, stack)
            wait_ready(stack)
            if args.login_flood:
                login_flood(stack, wrk, args.duration, args.rounds, args.flood_clients, min(args.connections))
                print(json.dumps(info))
                return
            if args.serve:
                serve_until_stopped(stack, wrk)
                return
            targets = stack.targets()
            names = list(targets)
            planned = len(names) * (args.warmup + args.rounds * len(args.connections) * args.duration)
            print(
                f"# about {planned} s of load: {len(names)} targets × ({args.warmup} s warm-up + "
                f"{args.rounds} rounds × {len(args.connections)} concurrency levels × {args.duration} s)",
                flush=True,
            )
            for name in names:  # warm-up: connection pools filled, code paths hot
                load(wrk, targets[name], max(args.connections), args.warmup)

            samples: list[Sample] = []
            planned_runs = args.rounds * len(args.connections) * len(names)
            for round_number in range(args.rounds):
                order = names if round_number % 2 == 0 else names[::-1]
                for level in args.connections:
                    for name in order:
                        sample = measure(stack, wrk, name, level, args.duration, round_number)
                        # Measured again only if the runs still to come fit in the budget afterwards.
                        still_to_come = planned_runs - len(samples)  # this one's repetition included
                        if (
                            sample.other_load > args.max_other_load
                            and time.monotonic() - began + still_to_come * (args.duration + 0.5) + 10
                            < args.budget
                        ):
                            again = measure(stack, wrk, name, level, args.duration, round_number)
                            print(
                                f"  (disturbed: other processes used {sample.other_load:.2f} core; "
                                f"measured again: {again.other_load:.2f} core)",
                                flush=True,
                            )
                            sample = again if again.other_load < sample.other_load else sample
                            sample.attempts = 2
                        samples.append(sample)
                        print(
                            f"  round {round_number + 1} c={level:<3} {name:14} "
                            f"{sample.requests_per_second:9,.0f} req/s  p50 {sample.p50_ms:6.2f} ms  "
                            f"p99 {sample.p99_ms:6.2f} ms  other load {sample.other_load:.2f} core",
                            flush=True,
                        )
            info["repeated_runs"] = sum(1 for s in samples if s.attempts > 1)
            info["seconds"] = round(time.monotonic() - began)

            text, verdicts, met = report(samples, targets, args.connections, args.rounds, args.gc_stats)
            print(
                f"\n`wrk -t2 -c<connections> -d{args.duration}s --latency URL`, "
                f"{args.rounds} interleaved rounds\n"
            )
            print(text + "\n")
            for verdict in verdicts:
                print(f"- {verdict}")
            print(
                f"\nGoal (>= {GOAL_THROUGHPUT_RATIO:.0%} of direct throughput, "
                f"<= {GOAL_ADDED_MEDIAN_MS:g} ms added at p50): {'MET' if met else 'MISSED'}\n"
            )
            print(json.dumps(info))

            if args.json:
                args.json.parent.mkdir(parents=True, exist_ok=True)
                args.json.write_text(
                    json.dumps(
                        {
                            "machine": info,
                            "duration_s": args.duration,
                            "rounds": args.rounds,
                            "samples": [asdict(s) for s in samples],
                            "goal_met": met,
                        },
                        indent=2,
                    )
                    + "\n"
                )
            if args.profile:
                profile_gateway(stack, wrk, args.profile, args.duration, max(args.connections))
        except Stopped as stopped:
            print(f"stopped ({stopped})", file=sys.stderr)
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave processes behind
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            stop_stack(stack)
            if autogroup_nice is not None:
                AUTOGROUP.write_text(str(autogroup_nice))


if __name__ == "__main__":
    main()

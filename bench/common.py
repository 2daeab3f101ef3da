"""What the benchmark scripts share: the machine's description, free ports, wrk runs and their parsing,
process CPU and memory readings. Loopback only."""

from __future__ import annotations

import os
import platform
import re
import socket
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, cwd=REPOSITORY)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    text = (done.stdout + done.stderr).strip()
    return text.splitlines()[0] if text else "?"


def machine_info(tools: dict[str, str], packages: tuple[str, ...]) -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?"
    )
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    kib = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal:")), 0)
    versions = {}
    for name in packages:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    try:
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            cwd=REPOSITORY,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        changed = ""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": first_line(["git", "rev-parse", "--short", "HEAD"])
        + (" + uncommitted changes" if changed else ""),
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory": f"{kib / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": versions,
        **{name: first_line(command.split()) for name, command in tools.items()},
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def resident_kib(pid: int, field: str = "VmRSS") -> int:
    """A memory figure of a process from /proc/<pid>/status: VmRSS (now) or VmHWM (peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (a server started with several workers runs them as children)."""
    try:
        children = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return [pid]
    return [pid, *(descendant for child in children for descendant in process_tree(child))]


def tree_resident_kib(pid: int) -> int:
    """The resident memory of a process and its descendants."""
    total = 0
    for member in process_tree(pid):
        try:
            total += resident_kib(member)
        except OSError:  # ended meanwhile
            pass
    return total


def parse_duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if match is None:
        raise ValueError(f"unexpected wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> dict[str, Any]:
    """wrk --latency's figures; `P95_US n` lines come from the rotating script's done() (wrk prints no
    p95)."""
    percentiles = {
        int(p): parse_duration_ms(v) for p, v in re.findall(r"^\s+(\d+)%\s+(\S+)\s*$", output, re.M)
    }
    p95 = re.search(r"^P95_US (\d+)", output, re.M)
    if p95:
        percentiles[95] = int(p95.group(1)) / 1000
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    total = re.search(r"^\s+(\d+) requests in", output, re.M)
    if rps is None or total is None or not {50, 75, 90, 99} <= percentiles.keys():
        raise ValueError(f"cannot parse wrk output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests_per_second": float(rps.group(1)),
        **{f"p{p}_ms": value for p, value in sorted(percentiles.items())},
        "requests": int(total.group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


ROTATING_SCRIPT = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], wrk.headers)
end
done = function(summary, latency, requests)
  io.write(string.format("P95_US %%d\\n", latency:percentile(95)))
end
"""


def rotating_script(paths: list[str], directory: Path, name: str) -> Path:
    """A wrk Lua script sending the given paths in turn (so a benchmark is not one cached query)."""
    script = directory / f"{name}.lua"
    quoted = ", ".join('"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"' for path in paths)
    script.write_text(ROTATING_SCRIPT % quoted)
    return script


def run_wrk(
    wrk: str, url: str, connections: int, seconds: int, extra: list[str] | None = None
) -> dict[str, Any]:
    command = [
        wrk,
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
        *(extra or []),
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr}")
    return parse_wrk(done.stdout)


def machine_busy_seconds() -> float:
    """CPU time all processes of the machine have spent (all cores), from /proc/stat."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS


AUTOGROUP = Path("/proc/self/autogroup")


def set_priority(nice: int) -> int | None:
    """Gives this process, and so the servers and wrk it starts, the priority `nice`.

    With the kernel's autogroup scheduling (sched_autogroup_enabled), CPU is first shared between sessions
    and a process's nice value only counts inside its own: the session's autogroup gets the priority too, for
    the time of the run (its previous value, returned, is put back at the end)."""
    try:
        os.setpriority(os.PRIO_PROCESS, 0, nice)
        previous = None
        if AUTOGROUP.exists() and Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1":
            previous = int(AUTOGROUP.read_text().split("nice")[1])
            AUTOGROUP.write_text(str(nice))
        return previous
    except (PermissionError, OSError, ValueError, IndexError) as exc:
        sys.exit(f"--nice {nice}: {exc} (a negative priority needs root)")

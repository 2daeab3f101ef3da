"""deploy/monitoring: the alert rules and the Grafana dashboard ask for metrics the platform exports."""

import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import yaml
from prometheus_client import REGISTRY

import fne_kernel.metrics  # noqa: F401  (registers the platform's metrics)

MONITORING = Path(__file__).resolve().parents[2] / "deploy" / "monitoring"
METRIC = re.compile(r"\b((?:fne|kubelet|node|cnpg|process)_[a-z0-9_]+)\b")
# Exporters of the cluster, not of the platform: their names are theirs (docs/operations.md says which).
EXTERNAL = ("kubelet_volume_stats_", "node_filesystem_", "cnpg_pg_")


def exported_names() -> set[str]:
    names = set()
    for family in REGISTRY.collect():
        names |= {sample.name for sample in family.samples} | {family.name}
        if family.type == "histogram":
            names |= {f"{family.name}_bucket", f"{family.name}_count", f"{family.name}_sum"}
        if family.type == "counter":
            names.add(f"{family.name}_total")
    return names


def rules() -> list[dict]:
    return [
        rule
        for group in yaml.safe_load((MONITORING / "alerts.yaml").read_text())["groups"]
        for rule in group["rules"]
    ]


def dashboard_expressions() -> list[str]:
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def check_names(expressions: list[str]) -> set[str]:
    exported = exported_names()
    used = {name for expression in expressions for name in METRIC.findall(expression)}
    for name in used:
        assert name in exported or name.startswith(EXTERNAL), f"{name} is exported by nothing"
    return used


def balanced(expression: str) -> bool:
    depth = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for character in re.sub(r'"(?:[^"\\]|\\.)*"', '""', expression):
        if character in "([{":
            depth.append(character)
        elif character in pairs and (not depth or depth.pop() != pairs[character]):
            return False
    return not depth


def test_every_alert_is_complete_and_uses_exported_metrics() -> None:
    found = rules()
    names = [rule["alert"] for rule in found]
    assert len(names) == len(set(names))
    for rule in found:
        assert rule["labels"]["severity"] in ("critical", "warning", "info"), rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        assert balanced(rule["expr"]), rule["alert"]
    used = check_names([rule["expr"] for rule in found])
    # What the issue asks alerts for: errors, latency, sync failures, disk space.
    assert {
        "fne_http_requests_total",
        "fne_http_request_duration_seconds_bucket",
        "fne_sync_jobs_total",
        "kubelet_volume_stats_available_bytes",
        "node_filesystem_avail_bytes",
    } <= used
    assert any('status=~"5..' in rule["expr"] for rule in found)
    assert any('outcome=~"failed' in rule["expr"] for rule in found)


def test_dashboard_is_the_generated_one_and_uses_exported_metrics() -> None:
    spec = importlib.util.spec_from_file_location("build_dashboard", MONITORING / "build_dashboard.py")
    assert spec and spec.loader
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    assert (MONITORING / "grafana-dashboard.json").read_text() == builder.render(), (
        "run python deploy/monitoring/build_dashboard.py"
    )
    expressions = dashboard_expressions()
    assert all(balanced(expression) for expression in expressions)
    used = check_names(expressions)
    assert {
        "fne_db_pool_connections_in_use",
        "fne_export_cache_requests_total",
        "fne_rate_limit_refusals_total",
        "fne_sync_jobs_total",
    } <= used


def test_promtool_accepts_the_rules_and_the_dashboard_queries(tmp_path: Path) -> None:
    """Prometheus' own parser: the alert rules as they are, the dashboard's queries as recording rules
    (Grafana's variables replaced by values). CI extracts promtool (.ci/run)."""
    promtool = shutil.which("promtool")
    if promtool is None:
        import pytest

        pytest.skip("promtool is not installed (.ci/run extracts it from Debian's prometheus package)")
    queries = [
        expression.replace("$__rate_interval", "5m").replace("$component", ".*")
        for expression in dashboard_expressions()
    ]
    recorded = tmp_path / "dashboard-rules.yaml"
    recorded.write_text(
        yaml.safe_dump(
            {
                "groups": [
                    {
                        "name": "dashboard",
                        "rules": [
                            {"record": f"fne:dashboard:{number}", "expr": query}
                            for number, query in enumerate(queries)
                        ],
                    }
                ]
            }
        )
    )
    done = subprocess.run(
        [promtool, "check", "rules", str(MONITORING / "alerts.yaml"), str(recorded)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr

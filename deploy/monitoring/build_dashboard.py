#!/usr/bin/env python3
"""Writes grafana-dashboard.json (import it in Grafana: Dashboards › New › Import). Edit here, then run:
`python deploy/monitoring/build_dashboard.py`; tests/deploy/test_monitoring.py checks the two agree."""

import json
from pathlib import Path

PANELS = [
    # (title, unit, [(expression, legend)], width)
    (
        "Requêtes par seconde",
        "reqps",
        [
            (
                "sum by (component) "
                '(rate(fne_http_requests_total{component=~"$component"}[$__rate_interval]))',
                "{{component}}",
            )
        ],
        12,
    ),
    (
        "Part des réponses en erreur serveur (5xx)",
        "percentunit",
        [
            (
                "sum by (component) "
                '(rate(fne_http_requests_total{component=~"$component",status=~"5.."}[$__rate_interval]))'
                " / sum by (component) "
                '(rate(fne_http_requests_total{component=~"$component"}[$__rate_interval]))',
                "{{component}}",
            )
        ],
        12,
    ),
    (
        "Durée des requêtes (p50, p95, p99)",
        "s",
        [
            (
                f"histogram_quantile({q}, sum by (component, le) "
                "(rate(fne_http_request_duration_seconds_bucket"
                f'{{component=~"$component"}}[$__rate_interval])))',
                f"{{{{component}}}} p{int(q * 100)}",
            )
            for q in (0.5, 0.95, 0.99)
        ],
        12,
    ),
    (
        "Routes les plus lentes (p95)",
        "s",
        [
            (
                "topk(10, histogram_quantile(0.95, sum by (component, route, le) (rate("
                'fne_http_request_duration_seconds_bucket{component=~"$component"}[$__rate_interval]))))',
                "{{component}} {{route}}",
            )
        ],
        12,
    ),
    (
        "Réponses par statut",
        "reqps",
        [
            (
                'sum by (status) (rate(fne_http_requests_total{component=~"$component"}[$__rate_interval]))',
                "{{status}}",
            )
        ],
        8,
    ),
    (
        "Requêtes en cours",
        "short",
        [('sum by (component) (fne_http_requests_in_flight{component=~"$component"})', "{{component}}")],
        8,
    ),
    (
        "Connexions à la base : utilisées / pool",
        "short",
        [
            (
                'sum by (component) (fne_db_pool_connections_in_use{component=~"$component"})',
                "{{component}} utilisées",
            ),
            ('sum by (component) (fne_db_pool_size{component=~"$component"})', "{{component}} pool"),
        ],
        8,
    ),
    (
        "Synchronisations terminées (par heure)",
        "short",
        [("sum by (source, outcome) (increase(fne_sync_jobs_total[1h]))", "{{source}} {{outcome}}")],
        12,
    ),
    (
        "Durée des synchronisations (p95)",
        "s",
        [
            (
                "histogram_quantile(0.95, sum by (source, le) "
                "(rate(fne_sync_job_duration_seconds_bucket[6h])))",
                "{{source}}",
            )
        ],
        12,
    ),
    (
        "Refus de la limite de débit (429)",
        "reqps",
        [("sum by (route) (rate(fne_rate_limit_refusals_total[$__rate_interval]))", "{{route}}")],
        8,
    ),
    (
        "Exports servis depuis le cache",
        "percentunit",
        [
            (
                'sum(rate(fne_export_cache_requests_total{outcome=~"hit|not_modified"}[$__rate_interval]))'
                " / sum(rate(fne_export_cache_requests_total[$__rate_interval]))",
                "part servie sans rendu",
            )
        ],
        8,
    ),
    ("Mémoire résidente des processus", "bytes", [("process_resident_memory_bytes", "{{instance}}")], 8),
    (
        "Espace libre des volumes",
        "percentunit",
        [
            (
                'kubelet_volume_stats_available_bytes{namespace="fne-savoie"}'
                ' / kubelet_volume_stats_capacity_bytes{namespace="fne-savoie"}',
                "{{persistentvolumeclaim}}",
            )
        ],
        12,
    ),
    (
        "PostgreSQL : retard de réplication et archivage",
        "s",
        [
            ("cnpg_pg_replication_lag", "retard {{pod}}"),
            ("time() - cnpg_pg_stat_archiver_last_archived_time", "depuis le dernier WAL archivé {{pod}}"),
        ],
        12,
    ),
]


def dashboard() -> dict:
    panels, x, y, row_height = [], 0, 0, 8
    for number, (title, unit, targets, width) in enumerate(PANELS, start=1):
        if x + width > 24:
            x, y = 0, y + row_height
        panels.append(
            {
                "id": number,
                "type": "timeseries",
                "title": title,
                "datasource": {"type": "prometheus", "uid": "${datasource}"},
                "gridPos": {"x": x, "y": y, "w": width, "h": row_height},
                "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
                "options": {"legend": {"displayMode": "table", "placement": "bottom"}},
                "targets": [
                    {
                        "refId": chr(65 + index),
                        "expr": expr,
                        "legendFormat": legend,
                        "datasource": {"type": "prometheus", "uid": "${datasource}"},
                    }
                    for index, (expr, legend) in enumerate(targets)
                ],
            }
        )
        x += width
    return {
        "uid": "fne-savoie-platform",
        "title": "FNE Savoie — plateforme",
        "tags": ["fne-savoie"],
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {
            "list": [
                {"name": "datasource", "label": "Source", "type": "datasource", "query": "prometheus"},
                {
                    "name": "component",
                    "label": "Composant",
                    "type": "custom",
                    "includeAll": True,
                    "multi": True,
                    "query": "gateway,directory,observatory,surveys,network",
                    "current": {"text": "All", "value": "$__all"},
                    "allValue": ".*",
                },
            ]
        },
        "panels": panels,
    }


def render() -> str:
    return json.dumps(dashboard(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    (Path(__file__).parent / "grafana-dashboard.json").write_text(render())

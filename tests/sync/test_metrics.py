"""Synchronisations are counted by source and outcome (fne_sync_jobs_total), for the alert on failures."""

from prometheus_client import REGISTRY

from fne_kernel.identity import Scope
from tests.sync.fakes import FakeSource
from tests.sync.test_api import key
from tests.sync.test_data_inclusion import catalogue


def jobs(source: str, outcome: str) -> float:
    return REGISTRY.get_sample_value("fne_sync_jobs_total", {"source": source, "outcome": outcome}) or 0.0


async def test_finished_runs_are_counted_by_source_and_outcome(
    client, sync_app, identity_keys, fake_data_inclusion: FakeSource
):
    catalogue(fake_data_inclusion)
    runner = key(identity_keys, Scope.SYNC_RUN)
    succeeded, failed = jobs("data-inclusion", "succeeded"), jobs("data-inclusion", "failed")
    started = await client.post("/sync/sources/data-inclusion/taches", headers=runner)
    await sync_app.state.sync_tasks[started.json()["id"]]
    assert jobs("data-inclusion", "succeeded") == succeeded + 1
    assert jobs("data-inclusion", "failed") == failed
    assert (
        REGISTRY.get_sample_value("fne_sync_job_duration_seconds_count", {"source": "data-inclusion"}) or 0
    ) >= 1

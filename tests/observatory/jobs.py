"""Long computations answer 202 with a job: helpers that start one and follow it to its end."""

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient


async def finished_job(
    app: FastAPI, client: AsyncClient, headers: dict[str, str], path: str, json: Any = None
) -> dict[str, Any]:
    """POSTs `path`, checks the 202 and its Location, waits for the job's end and reads it there."""
    response = await client.post(path, headers=headers, json=json)
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["location"] == f"/calculs/taches/{job['id']}"
    assert job["statut"] in ("en_attente", "en_cours") and job["resultat"] is None
    task = app.state.computation_tasks.get(job["id"])
    if task is not None:
        await task
    followed = await client.get(response.headers["location"], headers=headers)
    assert followed.status_code == 200, followed.text
    return followed.json()


async def computed(
    app: FastAPI, client: AsyncClient, headers: dict[str, str], path: str, json: Any = None
) -> dict[str, Any]:
    """The published result of a computation that must succeed."""
    job = await finished_job(app, client, headers, path, json)
    assert job["statut"] == "reussie", job
    assert job["avancement"] == 1 and job["import_id"] == job["resultat"]["id"]
    return job["resultat"]

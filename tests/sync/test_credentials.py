"""Connectors send their token only to the host they are configured for (issue 13: DORA followed `next` links
anywhere, token included)."""

from sqlalchemy import func, select

from fne_directory.places.models import Place
from fne_directory.sync.connectors.dora import origin
from tests.sync.conftest import served
from tests.sync.fakes import FakeSource, dora_app, dora_structure
from tests.sync.test_sources import dora_catalogue


async def test_a_next_link_to_another_host_is_not_followed_and_the_run_withdraws_nothing(
    sync, fake_dora: FakeSource, db
) -> None:
    dora_catalogue(fake_dora)
    async with served(lambda state: dora_app(state, "elsewhere")) as elsewhere:
        elsewhere.records = {"structures": [dora_structure("x1")] * 3}
        configured = fake_dora.url
        fake_dora.url = elsewhere.url  # the fake now writes its `next` links on the other host
        before = await db.scalar(select(func.count()).select_from(Place))
        job = await sync("dora")
        fake_dora.url = configured
    assert job.status != "succeeded" and not job.complete_snapshot
    assert any("hors de" in str(error) for error in job.errors), job.errors
    assert elsewhere.requests == []  # not a single request, so the token never left
    assert all(headers["Authorization"] == "Token dora-secret" for _, _, headers in fake_dora.requests)
    assert await db.scalar(select(func.count()).select_from(Place)) >= before  # nothing withdrawn


async def test_the_same_origin_is_recognised_whatever_its_spelling() -> None:
    assert origin("https://api.dora.inclusion.gouv.fr/api/v2/") == origin(
        "HTTPS://API.dora.inclusion.gouv.fr:443/x"
    )
    assert origin("https://dora.example") != origin("https://dora.example.evil.example")
    assert origin("https://dora.example") != origin("http://dora.example")
    assert origin("https://dora.example") != origin("https://dora.example:8443")

"""Changes and deletions of the network's records send back the ETag they read (If-Match, issue #15)."""

import httpx


async def read_for_change(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> dict[str, str]:
    """The caller's headers plus If-Match with the ETag of the record at `path`, read just now."""
    read = await client.get(path, headers=headers)
    assert read.status_code == 200, read.text
    return {**headers, "if-match": read.headers["etag"]}

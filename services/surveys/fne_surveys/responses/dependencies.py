from typing import Annotated

from fastapi import Header

IdempotencyKey = Annotated[
    str | None,
    Header(
        max_length=100,
        pattern=r"^[A-Za-z0-9._:-]{8,100}$",
        description="Unique per submission (a UUID): a replay is refused with 409 and stores nothing",
    ),
]
IfMatch = Annotated[str | None, Header(description="The version read before: protects from overwriting")]
ResumeToken = Annotated[
    str | None,
    Header(
        alias="X-Resume-Token", max_length=100, description="Given when a public response was left unfinished"
    ),
]

"""Optimistic concurrency for writes, one rule for every service: a record's reads carry its ETag
(`"<id>.<version>"`); a change or deletion must send it back in If-Match — none: 428; another version: 412,
and nothing is written. The caller reloads, then re-applies its change on what it now reads."""

from typing import Annotated, Any

from fastapi import Header, Response

from fne_kernel.errors import DomainError

IfMatch = Annotated[str | None, Header(description="ETag lu auparavant : protège des écrasements")]


class PreconditionRequired(DomainError):
    status, code, title = 428, "precondition-required", "En-tête If-Match requis"

    def __init__(self) -> None:
        super().__init__("Renvoyez l'ETag obtenu à la lecture dans l'en-tête If-Match, pour ne rien écraser.")


class VersionConflict(DomainError):
    """412: subclasses name the record (`title`) and say what to do (`advice`), in French."""

    status, code, title = 412, "version-conflict", "Modifié entre-temps"
    advice = (
        "Quelqu'un d'autre l'a modifié depuis votre lecture : rechargez, puis réappliquez vos changements."
    )

    def __init__(self, current_version: int, current_etag: str, **extensions: Any) -> None:
        super().__init__(
            self.advice, current_version=current_version, current_etag=current_etag, **extensions
        )


def etag(identifier: str, version: int) -> str:
    return f'"{identifier}.{version}"'


def send_etag(response: Response, identifier: str, version: int) -> None:
    """The record's ETag on an answer that shows it (read, created or changed)."""
    response.headers["ETag"] = etag(identifier, version)


def expect_version(
    if_match: str | None,
    identifier: str,
    version: int,
    conflict: type[VersionConflict] = VersionConflict,
) -> None:
    """The caller proves which version it read (its ETag, weak or strong, or `*`), or nothing is written."""
    if not if_match:
        raise PreconditionRequired()
    current = etag(identifier, version)
    presented = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if current not in presented and "*" not in presented:
        raise conflict(version, current)

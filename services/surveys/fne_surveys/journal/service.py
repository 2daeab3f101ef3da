"""The access journal: every export of raw responses or of a person's data, for administrators to review."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.db import utcnow
from fne_kernel.identity import Principal
from fne_kernel.pagination import PageRequest
from fne_surveys.journal.models import AccessRecord


async def record(session: AsyncSession, principal: Principal, action: str, details: dict[str, Any]) -> None:
    """Written in the request's transaction: no export without its line."""
    session.add(
        AccessRecord(
            at=utcnow(),
            actor=principal.subject,
            actor_kind=principal.kind,
            actor_name=principal.name,
            action=action,
            details=details,
        )
    )
    await session.flush()


async def entries(
    session: AsyncSession, paging: PageRequest, action: str | None, actor: str | None
) -> tuple[list[AccessRecord], int]:
    conditions = [
        column == value
        for column, value in ((AccessRecord.action, action), (AccessRecord.actor, actor))
        if value is not None
    ]
    total = await session.scalar(select(func.count()).select_from(AccessRecord).where(*conditions))
    found = await session.scalars(
        select(AccessRecord)
        .where(*conditions)
        .order_by(AccessRecord.at.desc(), AccessRecord.id.desc())
        .offset(paging.offset)
        .limit(paging.size)
    )
    return list(found), total or 0

"""Rows of several tables written together: one statement on PostgreSQL, one per table elsewhere.

A submission writes a respondent, a consent, a response, its scores and the first line of its trail. Each
round trip to the database costs more than the statement itself (a wake-up of the server process, on a small
machine shared with it), so on PostgreSQL the inserts go as data-modifying CTEs of one INSERT: foreign keys
are checked at the end of the statement, once every row is there. The statement is built once per shape
(tables, columns, row counts), its values bound as parameters, so that SQLAlchemy compiles it once.
"""

from functools import lru_cache
from typing import Any

from sqlalchemy import Insert, Table, bindparam, insert
from sqlalchemy.ext.asyncio import AsyncSession

Shape = tuple[tuple[Table, tuple[str, ...], int], ...]


def _name(part: int, row: int, column: str) -> str:
    return f"w{part}_{row}_{column}"


@lru_cache(maxsize=64)
def _statement(shape: Shape) -> Insert:
    """One single-row INSERT per row, all but the last as its CTEs (SQLAlchemy caches the compiled form of
    single-row inserts, not that of multi-row VALUES)."""
    inserts = [
        insert(table).values(
            {column: bindparam(_name(part, row, column), type_=table.c[column].type) for column in columns}
        )
        for part, (table, columns, count) in enumerate(shape)
        for row in range(count)
    ]
    *before, last = inserts
    return last.add_cte(*(statement.cte(f"w{index}") for index, statement in enumerate(before)))


class Batch:
    """Inserts collected in order (parents first), sent by `write`."""

    def __init__(self) -> None:
        self._parts: list[tuple[Table, list[dict[str, Any]]]] = []

    def add(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if rows:
            self._parts.append((table, rows))

    async def write(self, session: AsyncSession) -> None:
        if not self._parts:
            return
        if session.get_bind().dialect.name != "postgresql" or len(self._parts) == 1:
            for table, rows in self._parts:
                await session.execute(table.insert(), rows)
            return
        shape = tuple((table, tuple(rows[0]), len(rows)) for table, rows in self._parts)
        await session.execute(
            _statement(shape),
            {
                _name(part, index, column): value
                for part, (_table, rows) in enumerate(self._parts)
                for index, row in enumerate(rows)
                for column, value in row.items()
            },
        )

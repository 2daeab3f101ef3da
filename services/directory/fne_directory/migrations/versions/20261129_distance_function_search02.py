"""Search: the great-circle distance as one SQL function, `fne_distance_m(lat1, lon1, lat2, lon2)` in metres.

A radius search computes it twice (filter, order); written out as an expression it cost the service more to
build and compile than the database to evaluate. The function is plain SQL and immutable, so PostgreSQL
inlines it: the plan is the same as with the expression. SQLite connections register a Python function of the
same name.

Revision ID: search02
Revises: search01
Create Date: 2026-11-29 06:00:00
"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "search02"
down_revision: str | Sequence[str] | None = "search01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        # Haversine on the mean Earth radius (IUGG), as places/search.py computes it on SQLite.
        op.execute("""
            CREATE FUNCTION fne_distance_m(lat1 float8, lon1 float8, lat2 float8, lon2 float8) RETURNS float8
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                SELECT 2 * 6371008.8 * asin(least(1.0, sqrt(
                    power(sin(radians(lat2 - lat1) / 2), 2)
                    + cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2))))
            $$
        """)


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION fne_distance_m(float8, float8, float8, float8)")

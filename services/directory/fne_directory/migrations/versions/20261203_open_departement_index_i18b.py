"""Search: "open at" in one département read from an index alone (issue #18, PostgreSQL).

The active places of each département in name order, with their opening intervals (`INCLUDE (openings)`):
a search of one département open at a moment, and nothing else, counts its places and reads its page from
the département's range of this index (an index-only scan checking each entry's intervals), instead of
reading each candidate's row from the table (1,200–2,300 table pages for the largest département of the
benchmark, one per candidate) and sorting them by name.

An index entry holds at most ~2,700 bytes. A place's intervals for the next two weeks are a few dozen for
any usual timetable (~24 bytes each), but a timetable can have many more ("every 10 minutes"): the index
holds only places with at most `fne_few_openings`' number of intervals, so that no write can fail on it; the
others (normally none) are found through a second partial index, and searched for with the same statement.
SQLite keeps its simple path (places/statements.py).

Revision ID: i18_20261203_open_departement
Revises: i15o_20261203_permanences
Create Date: 2026-12-03 19:00:00
"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "i18_20261203_open_departement"
down_revision: str | Sequence[str] | None = "i15o_20261203_permanences"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 48 intervals of ~24 bytes, with a name of 250 characters (up to 1,000 bytes) and an id: under the
# B-tree's limit of 2,704 bytes per entry. Two weeks of three openings a day is 45.
FEW_OPENINGS = 48


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_bind().dialect.name != "postgresql":
        return
    # Not inlined (a FROM clause): the searches' condition is this call, as the indexes' predicates are.
    op.execute(f"""
        CREATE FUNCTION fne_few_openings(openings tstzmultirange) RETURNS boolean
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT count(*) <= {FEW_OPENINGS} FROM unnest(openings)
        $$
    """)
    op.execute("""
        CREATE INDEX ix_places_active_departement_open ON places (departement_code, nom, id)
        INCLUDE (openings) WHERE status = 'active' AND fne_few_openings(openings)
    """)
    op.execute("""
        CREATE INDEX ix_places_active_departement_many_openings ON places (departement_code)
        WHERE status = 'active' AND NOT fne_few_openings(openings)
    """)


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_places_active_departement_many_openings")
    op.execute("DROP INDEX ix_places_active_departement_open")
    op.execute("DROP FUNCTION fne_few_openings(tstzmultirange)")

"""Search: one list of filter keys per place (GIN-indexed on PostgreSQL) instead of a tag table; the opening
intervals in the place's row (a tstzmultirange on PostgreSQL) instead of a table of intervals; the vocabulary
of the places' words, trigram-indexed, and each place's words (places/words.py) instead of a trigram index on
whole texts.

Revision ID: search01
Revises: sync02
Create Date: 2026-11-29 03:25:00

Intervals and opening-slot keys are computed from the OSM hours: the upgrade marks every place's intervals as
due (openings_until = NULL), and the service's maintenance pass, run at start-up, computes them.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "search01"
down_revision: str | Sequence[str] | None = "sync02"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TAG_AND_TERRITORY_KEYS = """
    SELECT field || '=' || value AS k FROM place_tags WHERE place_tags.place_id = places.id
    UNION SELECT 'departement_code=' || places.departement_code
    UNION SELECT 'epci_code=' || places.epci_code WHERE places.epci_code IS NOT NULL
    UNION SELECT 'code_insee=' || places.code_insee
    ORDER BY 1
"""


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.add_column(
            "places",
            sa.Column("filter_keys", postgresql.ARRAY(sa.Text()), nullable=False, server_default="{}"),
        )
        op.add_column(
            "places", sa.Column("openings", postgresql.TSTZMULTIRANGE(), nullable=False, server_default="{}")
        )
        op.execute(f"UPDATE places SET filter_keys = ARRAY({TAG_AND_TERRITORY_KEYS}), openings_until = NULL")
        op.alter_column("places", "filter_keys", server_default=None)
        op.alter_column("places", "openings", server_default=None)
        op.execute("CREATE INDEX ix_places_filter_keys ON places USING gin (filter_keys)")
    else:
        with op.batch_alter_table("places", schema=None) as batch_op:
            batch_op.add_column(sa.Column("filter_keys", sa.JSON(), nullable=False, server_default="[]"))
            batch_op.add_column(sa.Column("openings", sa.JSON(), nullable=False, server_default="[]"))
        op.execute(
            f"UPDATE places SET filter_keys = (SELECT json_group_array(k) FROM ({TAG_AND_TERRITORY_KEYS})), "
            "openings_until = NULL"
        )
    op.drop_table("place_tags")
    op.drop_table("place_openings")
    _words_upgrade()


def _words_upgrade() -> None:
    op.create_table(
        "search_words",
        sa.Column("word", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_words")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.add_column(
            "places",
            sa.Column("search_words", postgresql.ARRAY(sa.Text()), nullable=False, server_default="{}"),
        )
        op.execute(
            "UPDATE places SET search_words = ARRAY(SELECT DISTINCT word FROM unnest("
            "string_to_array(search_text, ' ')) AS word WHERE word <> '' ORDER BY 1)"
        )
        op.alter_column("places", "search_words", server_default=None)
        op.execute("INSERT INTO search_words (word) SELECT DISTINCT unnest(search_words) FROM places")
        op.execute("DROP INDEX IF EXISTS ix_places_search_text_trgm")
        op.execute("CREATE INDEX ix_search_words_word_trgm ON search_words USING gin (word gin_trgm_ops)")
        op.execute("CREATE INDEX ix_places_search_words ON places USING gin (search_words)")
        return
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_words", sa.JSON(), nullable=False, server_default="[]"))
    # SQLite splits no strings in SQL: the words are computed here, as places/words.py does.
    vocabulary: set[str] = set()
    for place_id, search_text in bind.execute(sa.text("SELECT id, search_text FROM places")).all():
        words = sorted(set(search_text.split()))
        vocabulary.update(words)
        bind.execute(
            sa.text("UPDATE places SET search_words = :words WHERE id = :id"),
            {"words": json.dumps(words), "id": place_id},
        )
    if vocabulary:
        bind.execute(
            sa.text("INSERT INTO search_words (word) VALUES (:word)"),
            [{"word": word} for word in sorted(vocabulary)],
        )


def _words_downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_places_search_words")
        op.execute("CREATE INDEX ix_places_search_text_trgm ON places USING gin (search_text gin_trgm_ops)")
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.drop_column("search_words")
    op.drop_table("search_words")


def downgrade() -> None:
    """Downgrade schema."""
    _words_downgrade()
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("DROP INDEX IF EXISTS ix_places_filter_keys")
    # Before the tables that reference places exist again: SQLite drops a column by copying the table.
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.drop_column("openings")
        batch_op.drop_column("filter_keys")
    # The intervals are computed again by the maintenance pass of the previous version.
    op.execute("UPDATE places SET openings_until = NULL")
    op.create_table(
        "place_openings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("place_id", sa.String(length=36), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_place_openings_place_id_places"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place_openings")),
    )
    with op.batch_alter_table("place_openings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_place_openings_place_id"), ["place_id"], unique=False)
        batch_op.create_index("ix_place_openings_span", ["opens_at", "closes_at", "place_id"], unique=False)
    op.create_table(
        "place_tags",
        sa.Column("place_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_place_tags_place_id_places"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("place_id", "field", "value", name=op.f("pk_place_tags")),
    )
    with op.batch_alter_table("place_tags", schema=None) as batch_op:
        batch_op.create_index("ix_place_tags_field_value", ["field", "value", "place_id"], unique=False)
    # The tags, from the places' own lists of enumerated values.
    op.execute(
        """
        INSERT INTO place_tags (place_id, field, value)
        SELECT places.id, fields.key, values_.value
        FROM places, json_each(places.tags::json) AS fields, json_array_elements_text(fields.value) AS values_
    """
        if postgres
        else """
        INSERT INTO place_tags (place_id, field, value)
        SELECT places.id, fields.key, values_.value
        FROM places, json_each(places.tags) AS fields, json_each(fields.value) AS values_
    """
    )

"""Places of the directory: records, enumerated tags, opening intervals, audit trail.

Revision ID: places01
Revises: communes01
Create Date: 2026-11-29 00:21:41.471786

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "places01"
down_revision: str | Sequence[str] | None = "communes01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "places",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pivot", sa.String(length=14), nullable=True),
        sa.Column("nom", sa.String(length=250), nullable=False),
        sa.Column("adresse", sa.String(length=250), nullable=False),
        sa.Column("complement_adresse", sa.String(length=250), nullable=True),
        sa.Column("commune", sa.String(length=120), nullable=False),
        sa.Column("code_postal", sa.String(length=5), nullable=False),
        sa.Column("code_insee", sa.String(length=5), nullable=False),
        sa.Column("epci_code", sa.String(length=9), nullable=True),
        sa.Column("departement_code", sa.String(length=3), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("geo_precision", sa.String(length=10), nullable=False),
        sa.Column("telephone", sa.String(length=16), nullable=True),
        sa.Column("courriels", sa.JSON(), nullable=False),
        sa.Column("site_web", sa.JSON(), nullable=False),
        sa.Column("horaires", sa.Text(), nullable=True),
        sa.Column("presentation_resume", sa.String(length=280), nullable=True),
        sa.Column("presentation_detail", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=250), nullable=True),
        sa.Column("structure_parente", sa.String(length=250), nullable=True),
        sa.Column("date_maj", sa.Date(), nullable=False),
        sa.Column("autres_formations_labels", sa.JSON(), nullable=False),
        sa.Column("fiche_acces_libre", sa.String(length=500), nullable=True),
        sa.Column("prise_rdv", sa.String(length=500), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("openings_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
    )
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_places_code_insee"), ["code_insee"], unique=False)
        batch_op.create_index(batch_op.f("ix_places_date_maj"), ["date_maj"], unique=False)
        batch_op.create_index(batch_op.f("ix_places_departement_code"), ["departement_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_places_epci_code"), ["epci_code"], unique=False)
        batch_op.create_index("ix_places_geo", ["latitude", "longitude"], unique=False)
        batch_op.create_index("ix_places_nom_id", ["nom", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_places_pivot"), ["pivot"], unique=False)
        batch_op.create_index(batch_op.f("ix_places_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "place_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("place_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=12), nullable=False),
        sa.Column("actor_kind", sa.String(length=12), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("actor_name", sa.String(length=120), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_place_changes_place_id_places"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place_changes")),
    )
    with op.batch_alter_table("place_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_place_changes_place_id"), ["place_id"], unique=False)

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

    if op.get_bind().dialect.name == "postgresql":
        # Typo-tolerant text search ("chamberi" finds Chambéry): trigram word similarity, indexed.
        # SQLite computes the same measure with functions registered by the service (fne_directory.main).
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_places_search_text_trgm ON places USING gin (search_text gin_trgm_ops)")


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_places_search_text_trgm")
    with op.batch_alter_table("place_tags", schema=None) as batch_op:
        batch_op.drop_index("ix_place_tags_field_value")

    op.drop_table("place_tags")
    with op.batch_alter_table("place_openings", schema=None) as batch_op:
        batch_op.drop_index("ix_place_openings_span")
        batch_op.drop_index(batch_op.f("ix_place_openings_place_id"))

    op.drop_table("place_openings")
    with op.batch_alter_table("place_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_place_changes_place_id"))

    op.drop_table("place_changes")
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_places_updated_at"))
        batch_op.drop_index(batch_op.f("ix_places_pivot"))
        batch_op.drop_index("ix_places_nom_id")
        batch_op.drop_index("ix_places_geo")
        batch_op.drop_index(batch_op.f("ix_places_epci_code"))
        batch_op.drop_index(batch_op.f("ix_places_departement_code"))
        batch_op.drop_index(batch_op.f("ix_places_date_maj"))
        batch_op.drop_index(batch_op.f("ix_places_code_insee"))

    op.drop_table("places")

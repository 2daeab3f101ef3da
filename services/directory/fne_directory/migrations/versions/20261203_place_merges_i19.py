"""Merging two published places (issue #19): the place a retired place was merged into (`places.replaced_by`,
its address redirects there), and the pairs of places proposed, merged, rejected or split
(`sync_place_merges`).

Revision ID: i19_20261203_place_merges
Revises: i19s_20261203_provenance
Create Date: 2026-12-03 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "i19_20261203_place_merges"
down_revision: str | Sequence[str] | None = "i19s_20261203_provenance"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "sync_place_merges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("place_id", sa.String(length=36), nullable=False),
        sa.Column("other_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("moved", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("split_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("split_by", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["other_id"], ["places.id"], name=op.f("fk_sync_place_merges_other_id_places"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_sync_place_merges_place_id_places"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_place_merges")),
        sa.UniqueConstraint("place_id", "other_id", name="uq_sync_place_merges_pair"),
    )
    op.create_index(op.f("ix_sync_place_merges_other_id"), "sync_place_merges", ["other_id"], unique=False)
    op.create_index(op.f("ix_sync_place_merges_place_id"), "sync_place_merges", ["place_id"], unique=False)
    op.create_index(op.f("ix_sync_place_merges_status"), "sync_place_merges", ["status"], unique=False)
    # A column without a foreign key: SQLite adds it in place (a key would rebuild the table).
    op.add_column("places", sa.Column("replaced_by", sa.String(length=36), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.drop_column("replaced_by")
    op.drop_index(op.f("ix_sync_place_merges_status"), table_name="sync_place_merges")
    op.drop_index(op.f("ix_sync_place_merges_place_id"), table_name="sync_place_merges")
    op.drop_index(op.f("ix_sync_place_merges_other_id"), table_name="sync_place_merges")
    op.drop_table("sync_place_merges")

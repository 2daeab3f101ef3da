"""Sync: fields edited by hand keep a `manual` provenance (no source record; who and when); source records
leave room in their pages for updates in place (PostgreSQL fillfactor).

Revision ID: sync02
Revises: sync01
Create Date: 2026-11-29 02:59:31.517297

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "sync02"
down_revision: str | Sequence[str] | None = "sync01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("sync_field_provenance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("edited_by", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column("record_id", existing_type=sa.INTEGER(), nullable=True)
    if op.get_bind().dialect.name == "postgresql":
        # Pages written from now on (a VACUUM FULL rewrites the others): see SourceRecord.
        op.execute("ALTER TABLE sync_source_records SET (fillfactor = 50)")


def downgrade() -> None:
    """Downgrade schema: the manual marks are dropped (the next sync gives those fields from the sources)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE sync_source_records RESET (fillfactor)")
    op.execute("DELETE FROM sync_field_provenance WHERE record_id IS NULL")
    with op.batch_alter_table("sync_field_provenance", schema=None) as batch_op:
        batch_op.alter_column("record_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("edited_at")
        batch_op.drop_column("edited_by")

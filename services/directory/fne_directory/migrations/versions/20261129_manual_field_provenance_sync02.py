"""Sync: fields edited by hand keep a `manual` provenance (no source record; who and when).

Revision ID: sync02
Revises: sync01
Create Date: 2026-11-29 02:59:31.517297

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'sync02'
down_revision: Union[str, Sequence[str], None] = 'sync01'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('sync_field_provenance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('record_id', existing_type=sa.INTEGER(), nullable=True)


def downgrade() -> None:
    """Downgrade schema: the manual marks are dropped (the next sync gives those fields from the sources)."""
    op.execute("DELETE FROM sync_field_provenance WHERE record_id IS NULL")
    with op.batch_alter_table('sync_field_provenance', schema=None) as batch_op:
        batch_op.alter_column('record_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column('edited_at')
        batch_op.drop_column('edited_by')

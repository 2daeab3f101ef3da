"""A version per person, training session and event: their ETag, sent back in If-Match to change them.

Revision ID: i15n_20261203_versions
Revises: i15n_20261203_network
Create Date: 2026-12-03 19:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i15n_20261203_versions"
down_revision: str | Sequence[str] | None = "i15n_20261203_network"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("people", "training_sessions", "events")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")

"""Observatory: the roadmap refresh as a job (`computation_jobs.kind` widened, `outcome`), cancelled jobs
(`cancelled_by`), and computed dataset versions stored only when their values change
(`dataset_imports.content_sha256`, `checked_at`) — issues #15 and #12.

Revision ID: h15b_20261203_jobs_cancel
Revises: i15o_20261203_committees
Create Date: 2026-12-03 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "h15b_20261203_jobs_cancel"
down_revision: str | Sequence[str] | None = "i15o_20261203_committees"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("computation_jobs") as batch:
        batch.alter_column("kind", type_=sa.String(length=20), existing_type=sa.String(length=10))
        batch.add_column(sa.Column("outcome", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("cancelled_by", sa.String(length=200), nullable=True))
    with op.batch_alter_table("dataset_imports") as batch:
        batch.add_column(sa.Column("content_sha256", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True))
    # A version stored before: checked when it was computed.
    op.execute("UPDATE dataset_imports SET checked_at = created_at WHERE kind <> 'fichier'")


def downgrade() -> None:
    with op.batch_alter_table("dataset_imports") as batch:
        batch.drop_column("checked_at")
        batch.drop_column("content_sha256")
    op.execute("DELETE FROM computation_jobs WHERE kind = 'feuille-de-route'")
    with op.batch_alter_table("computation_jobs") as batch:
        batch.drop_column("cancelled_by")
        batch.drop_column("outcome")
        batch.alter_column("kind", type_=sa.String(length=10), existing_type=sa.String(length=20))

"""Observatory: long computations as jobs (`computation_jobs`), and the population coverage of each published
value (`published_values.coverage`) — issue #12.

Revision ID: i12o_20261203_jobs_coverage
Revises: observ01
Create Date: 2026-12-03 12:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "i12o_20261203_jobs_coverage"
down_revision: str | Sequence[str] | None = "observ01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "computation_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("import_id", sa.String(length=36), nullable=True),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["dataset_imports.id"],
            name=op.f("fk_computation_jobs_import_id_dataset_imports"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_computation_jobs")),
    )
    op.create_index(op.f("ix_computation_jobs_kind"), "computation_jobs", ["kind"], unique=False)
    op.create_index(op.f("ix_computation_jobs_status"), "computation_jobs", ["status"], unique=False)
    with op.batch_alter_table("published_values") as batch:
        batch.add_column(sa.Column("coverage", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("published_values") as batch:
        batch.drop_column("coverage")
    op.drop_index(op.f("ix_computation_jobs_status"), table_name="computation_jobs")
    op.drop_index(op.f("ix_computation_jobs_kind"), table_name="computation_jobs")
    op.drop_table("computation_jobs")

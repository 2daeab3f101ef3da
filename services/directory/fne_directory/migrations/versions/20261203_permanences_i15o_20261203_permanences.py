"""Permanences: a person or a team present in host places on given weekdays and hours, itinerant tours
included (issue #15).

Revision ID: i15o_20261203_permanences
Revises: i17_20261203_freshness
Create Date: 2026-12-03 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i15o_20261203_permanences"
down_revision: str | Sequence[str] | None = "i17_20261203_freshness"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "permanences",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("label", sa.String(length=120), nullable=True),
        sa.Column("label_public", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permanences")),
    )
    op.create_index(op.f("ix_permanences_role"), "permanences", ["role"], unique=False)
    op.create_index(op.f("ix_permanences_updated_at"), "permanences", ["updated_at"], unique=False)
    op.create_table(
        "permanence_slots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("permanence_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.String(length=36), nullable=True),
        sa.Column("code_insee", sa.String(length=5), nullable=False),
        sa.Column("location_detail", sa.String(length=200), nullable=True),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.ForeignKeyConstraint(
            ["permanence_id"],
            ["permanences.id"],
            name=op.f("fk_permanence_slots_permanence_id_permanences"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_permanence_slots_place_id_places"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permanence_slots")),
    )
    op.create_index(op.f("ix_permanence_slots_code_insee"), "permanence_slots", ["code_insee"], unique=False)
    op.create_index(
        op.f("ix_permanence_slots_permanence_id"), "permanence_slots", ["permanence_id"], unique=False
    )
    op.create_index(
        "ix_permanence_slots_place", "permanence_slots", ["place_id", "permanence_id"], unique=False
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_permanence_slots_place", table_name="permanence_slots")
    op.drop_index(op.f("ix_permanence_slots_permanence_id"), table_name="permanence_slots")
    op.drop_index(op.f("ix_permanence_slots_code_insee"), table_name="permanence_slots")
    op.drop_table("permanence_slots")
    op.drop_index(op.f("ix_permanences_updated_at"), table_name="permanences")
    op.drop_index(op.f("ix_permanences_role"), table_name="permanences")
    op.drop_table("permanences")

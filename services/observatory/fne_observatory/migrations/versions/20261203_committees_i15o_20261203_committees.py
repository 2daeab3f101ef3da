"""Committees in full: participants, decisions, actions with owners and due dates (issue #15).

Revision ID: i15o_20261203_committees
Revises: i12o_20261203_jobs_coverage
Create Date: 2026-12-03 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i15o_20261203_committees"
down_revision: str | Sequence[str] | None = "i12o_20261203_jobs_coverage"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "committee_participants",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=True),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("function", sa.String(length=120), nullable=True),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["roadmap_meetings.id"],
            name=op.f("fk_committee_participants_meeting_id_roadmap_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_participants")),
    )
    op.create_index(
        op.f("ix_committee_participants_meeting_id"), "committee_participants", ["meeting_id"], unique=False
    )
    op.create_table(
        "committee_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["roadmap_meetings.id"],
            name=op.f("fk_committee_decisions_meeting_id_roadmap_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_decisions")),
    )
    op.create_index(
        op.f("ix_committee_decisions_meeting_id"), "committee_decisions", ["meeting_id"], unique=False
    )
    op.create_table(
        "committee_actions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["committee_decisions.id"],
            name=op.f("fk_committee_actions_decision_id_committee_decisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["roadmap_meetings.id"],
            name=op.f("fk_committee_actions_meeting_id_roadmap_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_actions")),
    )
    op.create_index(op.f("ix_committee_actions_due_on"), "committee_actions", ["due_on"], unique=False)
    op.create_index(
        op.f("ix_committee_actions_meeting_id"), "committee_actions", ["meeting_id"], unique=False
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f("ix_committee_actions_meeting_id"), table_name="committee_actions")
    op.drop_index(op.f("ix_committee_actions_due_on"), table_name="committee_actions")
    op.drop_table("committee_actions")
    op.drop_index(op.f("ix_committee_decisions_meeting_id"), table_name="committee_decisions")
    op.drop_table("committee_decisions")
    op.drop_index(op.f("ix_committee_participants_meeting_id"), table_name="committee_participants")
    op.drop_table("committee_participants")

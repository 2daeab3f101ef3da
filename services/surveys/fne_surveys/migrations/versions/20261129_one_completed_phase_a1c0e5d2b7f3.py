"""One completed pre and one post response per person, campaign and instrument (a partial unique index).

Revision ID: a1c0e5d2b7f3
Revises: d3015bf0118b
Create Date: 2026-11-29 01:10:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "a1c0e5d2b7f3"
down_revision: str | Sequence[str] | None = "d3015bf0118b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COMPLETED_PAIRED_PHASE = "status = 'completed' AND phase IN ('pre', 'post')"


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index(
            "uq_responses_completed_phase",
            ["campaign_id", "respondent_id", "phase", "source"],
            unique=True,
            postgresql_where=sa.text(COMPLETED_PAIRED_PHASE),
            sqlite_where=sa.text(COMPLETED_PAIRED_PHASE),
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index("uq_responses_completed_phase")

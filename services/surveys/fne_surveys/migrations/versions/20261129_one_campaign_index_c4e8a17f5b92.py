"""Responses: the (campaign, status) index dropped; the (campaign, idempotency key) unique index serves
lookups by campaign (its first column), and a replay check can then be planned on no other index than the one
that finds the key (a plan chosen while the table was empty read every response of the campaign for each
submission).

Revision ID: c4e8a17f5b92
Revises: a3b9d202021a
Create Date: 2026-11-29 04:05:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c4e8a17f5b92"
down_revision: str | Sequence[str] | None = "a3b9d202021a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index("ix_responses_campaign_status")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index("ix_responses_campaign_status", ["campaign_id", "status"], unique=False)

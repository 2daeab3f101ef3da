"""Respondents: the EPCI of their commune, derived from the reference communes, for grouping results.

Revision ID: a3b9d202021a
Revises: a1c0e5d2b7f3
Create Date: 2026-11-29 01:10:55.881912

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "a3b9d202021a"
down_revision: str | Sequence[str] | None = "a1c0e5d2b7f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("respondents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("epci_code", sa.String(length=9), nullable=True))
        batch_op.create_index(batch_op.f("ix_respondents_epci_code"), ["epci_code"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("respondents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_respondents_epci_code"))
        batch_op.drop_column("epci_code")

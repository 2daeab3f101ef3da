"""Baseline: the network service's database under Alembic control; the tables come with its features.

Revision ID: i15n_20261203_baseline
Revises:
Create Date: 2026-12-03 12:30:00.000000

"""

from collections.abc import Sequence

# revision identifiers, used by Alembic.
revision: str = "i15n_20261203_baseline"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    pass


def downgrade() -> None:
    """Downgrade schema."""
    pass

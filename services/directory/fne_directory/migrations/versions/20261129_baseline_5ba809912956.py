"""Baseline: the service database under Alembic control; the tables come with its features.

Revision ID: 5ba809912956
Revises:
Create Date: 2026-11-29 00:05:42.412373

"""

from collections.abc import Sequence

# revision identifiers, used by Alembic.
revision: str = "5ba809912956"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    pass


def downgrade() -> None:
    """Downgrade schema."""
    pass

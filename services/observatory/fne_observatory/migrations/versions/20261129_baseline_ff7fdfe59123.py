"""Baseline: the service database under Alembic control; the tables come with its features.

Revision ID: ff7fdfe59123
Revises:
Create Date: 2026-11-29 00:05:43.096795

"""

from collections.abc import Sequence

# revision identifiers, used by Alembic.
revision: str = "ff7fdfe59123"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    pass


def downgrade() -> None:
    """Downgrade schema."""
    pass

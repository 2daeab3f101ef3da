"""Baseline: the service database under Alembic control; the tables come with its features.

Revision ID: f067457af80d
Revises:
Create Date: 2026-11-29 00:05:43.788987

"""

from collections.abc import Sequence

# revision identifiers, used by Alembic.
revision: str = "f067457af80d"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    pass


def downgrade() -> None:
    """Downgrade schema."""
    pass

"""Search: the edit distance between words (fuzzystrmatch's levenshtein_less_equal), which decides whether a
vocabulary word close in trigrams to a query word is a typo of it (places/words.py).

Revision ID: search03
Revises: search02
Create Date: 2026-11-29 06:10:00
"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "search03"
down_revision: str | Sequence[str] | None = "search02"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP EXTENSION IF EXISTS fuzzystrmatch")

"""Search: the active places of each département in name order (a partial index), so that a département's
search counts its places from the index alone and reads its page as the index's first entries (issue #18).

Revision ID: i18_20261203_departement_name
Revises: search03
Create Date: 2026-12-03 09:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "i18_20261203_departement_name"
down_revision: str | Sequence[str] | None = "search03"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = sa.text("status = 'active'")


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(
        "ix_places_active_departement_nom",
        "places",
        ["departement_code", "nom", "id"],
        unique=False,
        postgresql_where=ACTIVE,
        sqlite_where=ACTIVE,
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_places_active_departement_nom", table_name="places")

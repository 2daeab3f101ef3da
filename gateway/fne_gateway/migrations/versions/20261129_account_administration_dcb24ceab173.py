"""Account administration: audit fields, invited accounts without a password yet, one-time password links.

Revision ID: dcb24ceab173
Revises: a7101cca4d32
Create Date: 2026-11-29 02:57:58.682096

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "dcb24ceab173"
down_revision: str | Sequence[str] | None = "a7101cca4d32"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("updated_by", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("password_token_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("password_token_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column("password_hash", existing_type=sa.VARCHAR(length=255), nullable=True)
        batch_op.create_unique_constraint(batch_op.f("uq_users_password_token_hash"), ["password_token_hash"])
        batch_op.create_foreign_key(
            batch_op.f("fk_users_updated_by_users"), "users", ["updated_by"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_users_created_by_users"), "users", ["created_by"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_users_created_by_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_users_updated_by_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_users_password_token_hash"), type_="unique")
        # Fails while an invited account has not set its password yet: set one or delete the account first.
        batch_op.alter_column("password_hash", existing_type=sa.VARCHAR(length=255), nullable=False)
        batch_op.drop_column("password_token_expires_at")
        batch_op.drop_column("password_token_hash")
        batch_op.drop_column("password_changed_at")
        batch_op.drop_column("updated_by")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("created_by")

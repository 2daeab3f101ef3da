"""ProConnect sign-in (flows, identities, accounts awaiting a role) and the e-mail outbox.

Revision ID: i17_20261203_proconnect_mail
Revises: dcb24ceab173
Create Date: 2026-12-03 09:07:50.572756

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "i17_20261203_proconnect_mail"
down_revision: str | Sequence[str] | None = "dcb24ceab173"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=250), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("headers", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outbox_messages_status"), ["status"], unique=False)

    op.create_table(
        "proconnect_flows",
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=128), nullable=False),
        sa.Column("code_verifier", sa.String(length=128), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("state_hash", name=op.f("pk_proconnect_flows")),
    )
    with op.batch_alter_table("proconnect_flows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proconnect_flows_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "proconnect_identities",
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("organisation_siret", sa.String(length=14), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_proconnect_identities_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_proconnect_identities")),
    )
    with op.batch_alter_table("proconnect_identities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proconnect_identities_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("pending")

    with op.batch_alter_table("proconnect_identities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proconnect_identities_user_id"))

    op.drop_table("proconnect_identities")
    with op.batch_alter_table("proconnect_flows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proconnect_flows_expires_at"))

    op.drop_table("proconnect_flows")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_messages_status"))
        batch_op.drop_index(batch_op.f("ix_outbox_messages_next_attempt_at"))

    op.drop_table("outbox_messages")

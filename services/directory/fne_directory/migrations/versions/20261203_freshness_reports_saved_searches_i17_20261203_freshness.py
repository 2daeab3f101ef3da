"""Freshness loop (requests to places' contacts, opt-outs, proposals to review), e-mail outbox, saved
searches.

Revision ID: i17_20261203_freshness
Revises: i18_20261203_departement_name
Create Date: 2026-12-03 09:13:04.043878

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "i17_20261203_freshness"
down_revision: str | Sequence[str] | None = "i18_20261203_departement_name"
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
        "saved_searches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("confirm_token_hash", sa.String(length=64), nullable=True),
        sa.Column("unsubscribe_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unsubscribed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_searches")),
        sa.UniqueConstraint("confirm_token_hash", name=op.f("uq_saved_searches_confirm_token_hash")),
        sa.UniqueConstraint("unsubscribe_token", name=op.f("uq_saved_searches_unsubscribe_token")),
    )
    with op.batch_alter_table("saved_searches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_searches_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_saved_searches_email"), ["email"], unique=False)

    op.create_table(
        "contact_opt_outs",
        sa.Column("place_id", sa.String(length=36), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_contact_opt_outs_place_id_places"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("place_id", "email_hash", name=op.f("pk_contact_opt_outs")),
    )
    op.create_table(
        "freshness_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("place_id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.String(length=12), nullable=True),
        sa.Column("unsubscribed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["places.id"],
            name=op.f("fk_freshness_requests_place_id_places"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_freshness_requests")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_freshness_requests_token_hash")),
    )
    with op.batch_alter_table("freshness_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_freshness_requests_place_id"), ["place_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_freshness_requests_sent_at"), ["sent_at"], unique=False)

    op.create_table(
        "place_proposals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("place_id", sa.String(length=36), nullable=False),
        sa.Column("origin", sa.String(length=12), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=30), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("patch", sa.JSON(), nullable=False),
        sa.Column("diff", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_place_proposals_place_id_places"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["freshness_requests.id"],
            name=op.f("fk_place_proposals_request_id_freshness_requests"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place_proposals")),
    )
    with op.batch_alter_table("place_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_place_proposals_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_place_proposals_place_id"), ["place_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_place_proposals_status"), ["status"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("place_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_place_proposals_status"))
        batch_op.drop_index(batch_op.f("ix_place_proposals_place_id"))
        batch_op.drop_index(batch_op.f("ix_place_proposals_created_at"))

    op.drop_table("place_proposals")
    with op.batch_alter_table("freshness_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_freshness_requests_sent_at"))
        batch_op.drop_index(batch_op.f("ix_freshness_requests_place_id"))

    op.drop_table("freshness_requests")
    op.drop_table("contact_opt_outs")
    with op.batch_alter_table("saved_searches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_searches_email"))
        batch_op.drop_index(batch_op.f("ix_saved_searches_created_at"))

    op.drop_table("saved_searches")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_messages_status"))
        batch_op.drop_index(batch_op.f("ix_outbox_messages_next_attempt_at"))

    op.drop_table("outbox_messages")

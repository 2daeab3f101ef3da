"""Sync: field provenance without foreign keys (issue #19, full-sync speed).

A first synchronisation writes about eighteen provenance rows per place (575,000 for 50,000 structures), and
PostgreSQL checked both foreign keys of each row with a query of its own: two thirds of the cost of writing
them. Places and source records are never deleted (withdrawn, marked), so the keys only guarded rows that the
synchronisation writes itself from the records and places it holds; the index on `record_id` served only
their cascade.

Revision ID: i19s_20261203_provenance
Revises: i18_20261203_open_departement
Create Date: 2026-12-03 19:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "i19s_20261203_provenance"
down_revision: str | Sequence[str] | None = "i18_20261203_open_departement"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("sync_field_provenance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_field_provenance_record_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_sync_field_provenance_record_id_sync_source_records"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_sync_field_provenance_place_id_places"), type_="foreignkey")


def downgrade() -> None:
    """Downgrade schema: rows whose place or record no longer exists are dropped first."""
    op.execute("DELETE FROM sync_field_provenance WHERE place_id NOT IN (SELECT id FROM places)")
    op.execute(
        "DELETE FROM sync_field_provenance WHERE record_id IS NOT NULL "
        "AND record_id NOT IN (SELECT id FROM sync_source_records)"
    )
    with op.batch_alter_table("sync_field_provenance", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_sync_field_provenance_place_id_places"),
            "places",
            ["place_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_sync_field_provenance_record_id_sync_source_records"),
            "sync_source_records",
            ["record_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(batch_op.f("ix_sync_field_provenance_record_id"), ["record_id"], unique=False)

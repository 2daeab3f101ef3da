"""Territories: reference communes with their postal codes, and the record of each dataset loaded.

Revision ID: communes01
Revises: 5ba809912956
Create Date: 2026-11-29 00:21:21.977891

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "communes01"
down_revision: str | Sequence[str] | None = "5ba809912956"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "communes",
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("nom", sa.String(length=80), nullable=False),
        sa.Column("search_key", sa.String(length=80), nullable=False),
        sa.Column("type", sa.String(length=3), nullable=False),
        sa.Column("parent_code", sa.String(length=5), nullable=True),
        sa.Column("codes_postaux", sa.JSON(), nullable=False),
        sa.Column("epci_code", sa.String(length=9), nullable=True),
        sa.Column("epci_nom", sa.String(length=200), nullable=True),
        sa.Column("departement_code", sa.String(length=3), nullable=False),
        sa.Column("departement_nom", sa.String(length=80), nullable=False),
        sa.Column("region_code", sa.String(length=2), nullable=False),
        sa.Column("region_nom", sa.String(length=80), nullable=False),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("reference_point_source", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_communes")),
    )
    with op.batch_alter_table("communes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_communes_departement_code"), ["departement_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_communes_epci_code"), ["epci_code"], unique=False)
        batch_op.create_index(
            "ix_communes_search_key",
            ["search_key"],
            unique=False,
            postgresql_ops={"search_key": "text_pattern_ops"},
        )

    op.create_table(
        "territory_datasets",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("package", sa.String(length=80), nullable=False),
        sa.Column("package_version", sa.String(length=40), nullable=False),
        sa.Column("vintage", sa.String(length=200), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_territory_datasets")),
    )
    op.create_table(
        "commune_postal_codes",
        sa.Column("code_postal", sa.String(length=5), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_code"],
            ["communes.code"],
            name=op.f("fk_commune_postal_codes_commune_code_communes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code_postal", "commune_code", name=op.f("pk_commune_postal_codes")),
    )
    with op.batch_alter_table("commune_postal_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commune_postal_codes_commune_code"), ["commune_code"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("commune_postal_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commune_postal_codes_commune_code"))

    op.drop_table("commune_postal_codes")
    op.drop_table("territory_datasets")
    with op.batch_alter_table("communes", schema=None) as batch_op:
        batch_op.drop_index("ix_communes_search_key", postgresql_ops={"search_key": "text_pattern_ops"})
        batch_op.drop_index(batch_op.f("ix_communes_epci_code"))
        batch_op.drop_index(batch_op.f("ix_communes_departement_code"))

    op.drop_table("communes")

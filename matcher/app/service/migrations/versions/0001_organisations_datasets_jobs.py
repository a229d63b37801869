"""Organisations, tokens, datasets, grants and jobs.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("regions", sa.JSON, nullable=False),
        sa.Column("school_ids", sa.JSON, nullable=False),
        sa.Column("created", _TIME, nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("created", _TIME, nullable=False),
        sa.Column("revoked", _TIME, nullable=True),
    )
    op.create_table(
        "datasets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("region", sa.String(20), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("input_hash", sa.String(80), nullable=False),
        sa.Column("files", sa.JSON, nullable=False),
        sa.Column("warnings", sa.JSON, nullable=False),
        sa.Column("school_ids", sa.JSON, nullable=False),
        sa.Column("students", sa.Integer, nullable=False),
        sa.Column("vacancies", sa.Integer, nullable=False),
        sa.Column("created", _TIME, nullable=False),
        sa.UniqueConstraint("organisation_id", "name", "version"),
    )
    op.create_table(
        "grants",
        sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id"), primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), primary_key=True),
        sa.Column("created", _TIME, nullable=False),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("options", sa.JSON, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("files", sa.JSON, nullable=False),
        sa.Column("server", sa.String(32), nullable=False),
        sa.Column("created", _TIME, nullable=False),
        sa.Column("started", _TIME, nullable=True),
        sa.Column("finished", _TIME, nullable=True),
    )
    op.create_index("jobs_by_state", "jobs", ["state"])


def downgrade() -> None:
    op.drop_index("jobs_by_state", "jobs")
    for table in ("jobs", "grants", "datasets", "tokens", "organisations"):
        op.drop_table(table)

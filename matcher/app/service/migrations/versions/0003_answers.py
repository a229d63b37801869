"""Schools' answers to a match's proposals (confirmed, declined by the student or the company).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answers",
        sa.Column("job_id", sa.String(32), sa.ForeignKey("jobs.id"), primary_key=True),
        sa.Column("student_id", sa.String(200), primary_key=True),
        sa.Column("decision", sa.String(30), nullable=False),
        sa.Column("vacancy_id", sa.String(200), nullable=False),
        sa.Column("period_id", sa.String(200), nullable=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("answers")

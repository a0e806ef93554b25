"""Survey answer sheets kept with their audit; an audit keeps its author's name.

An inspector's facts file may name SKM answer sheets (events.skm[].responses.file) uploaded
beside it: they are part of what was audited, so they are stored with the audit, never
changed. An account can now be deleted; the audits it ran keep the name it had.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_sheets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("audit_id", sa.Integer(), sa.ForeignKey("audits.id"), nullable=False, index=True),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    with op.batch_alter_table("audits") as audits:
        audits.add_column(sa.Column("created_by_name", sa.String(100), nullable=True))
    op.execute("UPDATE audits SET created_by_name = "
               "(SELECT accounts.name FROM accounts WHERE accounts.id = audits.created_by)")


def downgrade() -> None:
    with op.batch_alter_table("audits") as audits:
        audits.drop_column("created_by_name")
    op.drop_table("audit_sheets")

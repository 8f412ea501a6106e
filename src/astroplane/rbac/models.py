import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base
from astroplane.kit.models import IdMixin


class RoleBinding(IdMixin, Base):
    """A role held by a subject (USER, API_TOKEN or TEAM) at one scope.

    workspace_id and deployment_id are filled for every scope at or below them, so a permission
    check walks the hierarchy without another query. For DAG scope, dag_id or dag_tag names the DAGs.
    """

    __tablename__ = "role_bindings"
    __table_args__ = (
        sa.Index(None, "subject_type", "subject_id"),
        sa.Index(None, "organization_id", "scope_type", "workspace_id"),
        sa.Index(None, "deployment_id"),
        # an organization's members (ListUsers: membership of each user, and their count) from the index alone
        sa.Index("ix_role_bindings_members", "organization_id", "subject_type", "scope_type", "subject_id"),
    )

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    subject_type: Mapped[str] = mapped_column(sa.String(16))
    subject_id: Mapped[str] = mapped_column(sa.String(25))
    scope_type: Mapped[str] = mapped_column(sa.String(16))
    workspace_id: Mapped[str | None] = mapped_column(sa.String(25))
    deployment_id: Mapped[str | None] = mapped_column(sa.String(25))
    dag_id: Mapped[str | None] = mapped_column(sa.String(250))
    dag_tag: Mapped[str | None] = mapped_column(sa.String(250))
    role: Mapped[str] = mapped_column(sa.String(64))


class AuthzEpoch(Base):
    """A counter bumped by every change that can alter what some caller may do (role bindings,
    tokens, users, teams, custom roles). Cached principals are valid while it stands still, so a
    revocation or role change takes effect on the very next request, in every server process."""

    __tablename__ = "authz_epoch"

    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[int] = mapped_column(sa.BigInteger, default=0)

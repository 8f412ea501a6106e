import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.crypto import EncryptedText
from astroplane.kit.db import Base
from astroplane.kit.models import AuthorMixin, IdMixin, TimestampMixin


class NotificationChannel(IdMixin, TimestampMixin, AuthorMixin, Base):
    """Where alerts are sent: an email list, a Slack webhook, a PagerDuty or Opsgenie key, or a DAG to
    trigger. Owned by the organization, a workspace or a deployment; shared ones reach the entities
    below their owner.

    The definition is one encrypted JSON document: webhook URLs, integration and API keys and DAG
    trigger tokens never reach the database in plaintext.
    """

    __tablename__ = "notification_channels"

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"),
                                                 index=True)
    workspace_id: Mapped[str | None] = mapped_column(sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
                                                     index=True)
    deployment_id: Mapped[str | None] = mapped_column(sa.ForeignKey("deployments.id", ondelete="CASCADE"),
                                                      index=True)
    entity_type: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(256))
    channel_type: Mapped[str] = mapped_column(sa.String(16))
    is_shared: Mapped[bool] = mapped_column(default=False)
    definition: Mapped[str] = mapped_column(EncryptedText)

    @property
    def entity_id(self) -> str:
        return self.deployment_id or self.workspace_id or self.organization_id

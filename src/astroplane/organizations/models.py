import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base
from astroplane.kit.models import AuthorMixin, IdMixin, TimestampMixin


class Organization(IdMixin, TimestampMixin, AuthorMixin, Base):
    __tablename__ = "organizations"

    name: Mapped[str] = mapped_column(sa.String(256), unique=True)
    billing_email: Mapped[str | None] = mapped_column(sa.String(320))
    is_scim_enabled: Mapped[bool] = mapped_column(default=False)
    allow_enhanced_support_access: Mapped[bool] = mapped_column(default=True)
    has_ai_features_disabled: Mapped[bool] = mapped_column(default=False)
    is_blocked_enable_ai_features: Mapped[bool] = mapped_column(default=False)
    should_enforce_dedicated_clusters: Mapped[bool] = mapped_column(default=False)
    # Not in the Astro schema: whether showSecrets=true may reveal environment-object secrets.
    allow_secrets_fetching: Mapped[bool] = mapped_column(default=False)
    product: Mapped[str] = mapped_column(sa.String(16), default="HOSTED")
    product_plan: Mapped[str] = mapped_column(sa.String(32), default="ENTERPRISE")
    status: Mapped[str] = mapped_column(sa.String(16), default="ACTIVE")
    payment_method: Mapped[str | None] = mapped_column(sa.String(32))

"""Every table, imported in one place for Alembic and for tests."""

from astroplane.alerts.models import Alert, AlertChannel, AlertDelivery, AlertFiring
from astroplane.audit.models import AuditLogEntry
from astroplane.clusters.models import Cluster, NodePool
from astroplane.deployments.models import Deployment, DeploymentCount, EnvironmentVariable, WorkerQueue
from astroplane.controls.models import ArmedFault, ControlsState
from astroplane.deploys.models import Deploy, DeployUpload
from astroplane.envobjects.models import EnvironmentObject, EnvironmentObjectLink
from astroplane.invites.models import Invite
from astroplane.ip_ranges.models import AllowedIpRange
from astroplane.kit.db import Base
from astroplane.kit.data_versions import DataVersion  # noqa: F401 - and its listeners
from astroplane.logs.models import DeploymentLogLine
from astroplane.notification_channels.models import NotificationChannel
from astroplane.organizations.models import Organization
from astroplane.rbac import epoch  # noqa: F401 - installs the authz epoch listeners
from astroplane.rbac.models import AuthzEpoch, RoleBinding
from astroplane.roles.models import CustomRole
from astroplane.teams.models import Team, TeamMember
from astroplane.tokens.models import ApiToken
from astroplane.users.models import PersonalToken, User
from astroplane.workspaces.models import Workspace

__all__ = ["Base", "Cluster", "Deployment", "DeploymentCount", "Deploy", "DeployUpload", "DeploymentLogLine",
           "Organization", "AuthzEpoch", "RoleBinding", "ApiToken", "PersonalToken", "User", "Workspace",
           "NodePool", "WorkerQueue", "EnvironmentVariable", "EnvironmentObject", "EnvironmentObjectLink",
           "AuditLogEntry", "ArmedFault", "ControlsState", "Invite", "AllowedIpRange", "CustomRole", "Team",
           "TeamMember", "Alert", "AlertChannel", "AlertFiring", "AlertDelivery", "NotificationChannel"]

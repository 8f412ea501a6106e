import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.kit.pagination import ListParams, paginate
from astroplane.rbac.models import RoleBinding
from astroplane.tokens.models import ApiToken

SORTS = {"name": ApiToken.name, "description": ApiToken.description, "createdAt": ApiToken.created_at,
         "updatedAt": ApiToken.updated_at, "tokenStartAt": ApiToken.start_at,
         "createdById": ApiToken.created_by_id, "updatedById": ApiToken.updated_by_id}


class TokenVisibility:
    """Which tokens a caller may read: all, or those of some workspaces and deployments."""

    def __init__(self, everything: bool, workspaces: set[str], deployment_workspaces: set[str],
                 deployments: set[str]):
        self.everything = everything
        self.workspaces = workspaces
        self.deployment_workspaces = deployment_workspaces
        self.deployments = deployments

    def clause(self):
        if self.everything:
            return sa.true()
        return sa.or_(
            sa.and_(ApiToken.scope == "WORKSPACE", ApiToken.workspace_id.in_(self.workspaces)),
            sa.and_(ApiToken.scope == "DEPLOYMENT", sa.or_(ApiToken.workspace_id.in_(self.deployment_workspaces),
                                                            ApiToken.entity_id.in_(self.deployments))),
        )


class ApiTokenRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, organization_id: str, token_id: str, *, agent: bool = False) -> ApiToken | None:
        token = self.session.get(ApiToken, token_id)
        if token is None or token.organization_id != organization_id or token.is_agent != agent:
            return None
        return token

    def page(self, organization_id: str, params: ListParams, visibility: TokenVisibility, *,
             agent_deployment_id: str | None = None, workspace_id: str | None = None,
             deployment_id: str | None = None, dag_id: str | None = None, dag_tags: list[str] | None = None,
             only_organization: bool = False, kind: str | None = None) -> tuple[list[ApiToken], int]:
        query = sa.select(ApiToken).where(ApiToken.organization_id == organization_id, visibility.clause())
        if agent_deployment_id is not None:
            query = query.where(ApiToken.is_agent.is_(True), ApiToken.entity_id == agent_deployment_id)
        else:
            query = query.where(ApiToken.is_agent.is_(False))
        holders = sa.select(RoleBinding.subject_id).where(RoleBinding.subject_type == "API_TOKEN")
        if workspace_id:
            query = query.where(ApiToken.id.in_(holders.where(RoleBinding.scope_type == "WORKSPACE",
                                                              RoleBinding.workspace_id == workspace_id)))
        if deployment_id:
            query = query.where(ApiToken.id.in_(holders.where(RoleBinding.scope_type == "DEPLOYMENT",
                                                              RoleBinding.deployment_id == deployment_id)))
        if dag_id:
            query = query.where(ApiToken.id.in_(holders.where(RoleBinding.dag_id == dag_id)))
        if dag_tags:
            query = query.where(ApiToken.id.in_(holders.where(RoleBinding.dag_tag.in_(dag_tags))))
        if only_organization:
            query = query.where(ApiToken.scope == "ORGANIZATION")
        if kind:
            query = query.where(ApiToken.kind == kind)
        return paginate(self.session, query, params, SORTS, ApiToken.id, ApiToken.created_at.asc())

    def add(self, token: ApiToken) -> ApiToken:
        self.session.add(token)
        self.session.flush()
        return token

    def delete(self, token: ApiToken) -> None:
        self.session.delete(token)
        self.session.flush()

    def delete_in_workspace(self, workspace_id: str) -> list[str]:
        ids = list(self.session.scalars(sa.select(ApiToken.id).where(ApiToken.workspace_id == workspace_id)))
        if ids:
            self.session.execute(sa.delete(ApiToken).where(ApiToken.id.in_(ids)))
        return ids

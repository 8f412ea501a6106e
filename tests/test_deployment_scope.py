"""The DEPLOYMENT scope resolver: a deployment's id reaches its workspace and organization only."""

from factories import insert_deployment

from astroplane.deployments.scope import resolve_scope
from conftest import make_workspace, new_org


def test_resolves_within_its_organization_only(server, api):
    workspace = make_workspace(api)
    deployment_id = insert_deployment(server, api.org.id, workspace["id"])
    other = new_org(server)
    session = server.database.session()
    try:
        target = resolve_scope(session, api.org.id, deployment_id)
        assert (target.organization_id, target.workspace_id, target.deployment_id) == (
            api.org.id, workspace["id"], deployment_id)
        assert resolve_scope(session, other.id, deployment_id) is None
        assert resolve_scope(session, api.org.id, "clzzzzzzzzzzzzzzzzzzzzzzz") is None
    finally:
        session.close()

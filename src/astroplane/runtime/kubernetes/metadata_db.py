"""Each deployment's Airflow metadata database, on the PostgreSQL server astroplane is given
(ASTROPLANE_K8S_METADATA_DB_URL, an account that may create roles and databases): a role and a
database per deployment, created on first use and dropped with the deployment."""

import urllib.parse

import psycopg
from psycopg import sql


class MetadataDatabases:
    def __init__(self, admin_url: str):
        if not admin_url:
            raise ValueError("the kubernetes runtime needs ASTROPLANE_K8S_METADATA_DB_URL: a PostgreSQL server "
                             "on which it creates each deployment's Airflow metadata database")
        self.admin_url = admin_url.replace("postgresql+psycopg://", "postgresql://", 1)
        self._ready: set[str] = set()

    @staticmethod
    def name(deployment_id: str) -> str:
        return f"airflow_{deployment_id.lower()}"

    def url(self, deployment_id: str, password: str) -> str:
        """The URL the deployment's Airflow connects with (its own role, its own database)."""
        parts = urllib.parse.urlsplit(self.admin_url)
        host = parts.hostname or "localhost"
        netloc = f"{self.name(deployment_id)}:{urllib.parse.quote(password, safe='')}@{host}"
        if parts.port:
            netloc += f":{parts.port}"
        return urllib.parse.urlunsplit(("postgresql", netloc, "/" + self.name(deployment_id), "", ""))

    def ensure(self, deployment_id: str, password: str) -> None:
        if deployment_id in self._ready:
            return
        name = self.name(deployment_id)
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10) as connection:
            role = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
            statement = "ALTER ROLE {} LOGIN PASSWORD {}" if role else "CREATE ROLE {} LOGIN PASSWORD {}"
            connection.execute(sql.SQL(statement).format(sql.Identifier(name), sql.Literal(password)))
            if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
                connection.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name),
                                                                               sql.Identifier(name)))
        self._ready.add(deployment_id)

    def drop(self, deployment_id: str) -> None:
        name = self.name(deployment_id)
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            connection.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))
        self._ready.discard(deployment_id)

    def exists(self, deployment_id: str) -> bool:
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10) as connection:
            return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                      (self.name(deployment_id),)).fetchone() is not None

"""Hostile uploads are refused with 400 before anything is kept: no blob, no version, no record."""

import os
import pathlib
import tarfile

import pytest
import sqlalchemy as sa

from archive_helpers import link, special, tarball
from conftest import assert_error, make_workspace
from factories import insert_deployment
from test_deploys import put_archive

from astroplane.deploys.archives import ArchiveRejected, validate_archive

MALICIOUS = {
    "absolute path": tarball({"/etc/cron.d/evil": b"* * * * * root sh"}),
    "dot-dot": tarball({"dags/../../evil.py": b"x"}),
    "leading dot-dot": tarball({"../evil.py": b"x"}),
    "symlink escaping": tarball(extra=[link("dags/passwd", "../../etc/passwd")]),
    "absolute symlink": tarball(extra=[link("dags/passwd", "/etc/passwd")]),
    "hard link outside": tarball(extra=[link("dags/shadow", "/etc/shadow", hard=True)]),
    "hard link to nothing": tarball(extra=[link("dags/x", "missing.py", hard=True)]),
    "device file": tarball(extra=[special("dags/tty")]),
    "fifo": tarball(extra=[special("dags/pipe", tarfile.FIFOTYPE)]),
    "not a tar": b"PK\x03\x04 this is a zip file, not a tar" * 20,
    "truncated": tarball({"dags/a.py": b"a" * 5000}, gzip=False)[:700],
    "empty body": b"",
}


def _stored(server) -> tuple[set[str], int]:
    root = pathlib.Path(server.settings.data_dir) / "blobs"
    blobs = {p.name for p in (root / "sha256").rglob("*") if p.is_file()} if root.exists() else set()
    staging = [p for p in (root / "staging").rglob("*") if p.is_file()] if (root / "staging").exists() else []
    with server.database.engine.connect() as connection:
        uploads = connection.execute(sa.text("SELECT count(*) FROM deploy_uploads")).scalar()
    return blobs, uploads + len(staging)


@pytest.mark.parametrize("case", sorted(MALICIOUS))
def test_malicious_archive_is_refused_and_nothing_is_stored(server, api, case):
    deployment_id = insert_deployment(server, api.org.id, make_workspace(api)["id"])
    created = api.ok("POST", f"/deployments/{deployment_id}/deploys", json={"type": "DAG_ONLY"})
    before = _stored(server)
    response = put_archive(server, created["dagsUploadUrl"], MALICIOUS[case])
    assert_error(response, 400, "archive")
    assert "x-ms-version-id" not in response.headers
    assert _stored(server) == before


def test_staging_stops_at_the_limit(server):
    from astroplane.deploys.blobstore import blob_store
    from astroplane.deploys.uploads import StagedUpload, UploadTooLarge
    staged = StagedUpload(blob_store(server.settings), max_bytes=1024)
    staged.write(b"x" * 1024)
    with pytest.raises(UploadTooLarge):
        staged.write(b"x")
    staged.discard()
    assert not os.path.exists(staged.path)


def test_upload_limit_on_a_small_server(tmp_path, databases):
    from fastapi.testclient import TestClient

    from astroplane.app import create_app
    from astroplane.kit.db import Database
    from astroplane.kit.migrate import upgrade
    from conftest import Api, make_settings, new_org, Server
    url = databases.url("sqlite")
    database = Database(url)
    upgrade(database.engine)
    settings = make_settings(tmp_path, url, max_upload_bytes=4096)
    with TestClient(create_app(settings, database), raise_server_exceptions=False) as client:
        server = Server(settings, database, client, "sqlite")
        org = new_org(server)
        api = Api(server, org, org.token)
        deployment_id = insert_deployment(server, org.id, make_workspace(api)["id"])
        created = api.ok("POST", f"/deployments/{deployment_id}/deploys", json={"type": "DAG_ONLY"})
        big = tarball({"dags/big.py": os.urandom(8192)})
        assert_error(put_archive(server, created["dagsUploadUrl"], big), 400, "upload limit")
        # streamed without a length: still cut off at the limit
        path = created["dagsUploadUrl"].split(settings.base_url)[1]
        streamed = client.put(path, content=iter([big[:3000], big[3000:]]))
        assert_error(streamed, 400, "upload limit")
        bomb = tarball({"dags/zeros.py": b"\0" * (4096 * 8 + 1)})
        assert len(bomb) < 4096
        assert_error(put_archive(server, created["dagsUploadUrl"], bomb), 400, "unpacks to more than")
        assert _stored(server)[1] == 0
        ok = put_archive(server, created["dagsUploadUrl"], tarball({"dags/small.py": b"x = 1\n"}))
        assert ok.status_code == 201
    database.dispose()


def test_benign_links_and_nesting_are_accepted(tmp_path):
    path = tmp_path / "ok.tar.gz"
    path.write_bytes(tarball({"dags/common/util.py": b"u", "dags/a.py": b"a"},
                             extra=[link("dags/sub/util.py", "../common/util.py"),
                                    link("dags/b.py", "dags/a.py", hard=True)]))
    assert validate_archive(str(path), 10**6) == 4
    plain = tmp_path / "plain.tar"
    plain.write_bytes(tarball({"dags/a.py": b"a"}, gzip=False))
    assert validate_archive(str(plain), 10**6) == 1


@pytest.mark.parametrize("name", ["C:/windows/evil", "\\\\server\\share\\x", "dags\\..\\..\\x"])
def test_windows_style_escapes_are_refused(tmp_path, name):
    path = tmp_path / "w.tar"
    path.write_bytes(tarball({name: b"x"}, gzip=False))
    with pytest.raises(ArchiveRejected):
        validate_archive(str(path), 10**6)


def _block_url(url: str, server, **query) -> str:
    import urllib.parse
    parts = urllib.parse.urlsplit(url)
    return f"{parts.path}?{parts.query}&{urllib.parse.urlencode(query)}"


def test_azure_block_upload_like_the_cli_blob_client(server, api):
    import base64
    deployment_id = insert_deployment(server, api.org.id, make_workspace(api)["id"])
    base = f"/deployments/{deployment_id}/deploys"
    created = api.ok("POST", base, json={"type": "DAG_ONLY"})
    body = tarball({f"dags/d{n}.py": os.urandom(3000) for n in range(5)})
    thirds = [body[:len(body) // 3], body[len(body) // 3: 2 * len(body) // 3], body[2 * len(body) // 3:]]
    ids = [base64.b64encode(f"block-{n:04d}".encode()).decode() for n in range(3)]
    for n in (2, 0, 1):  # staged in any order, committed in list order
        staged = server.client.put(_block_url(created["dagsUploadUrl"], server, comp="block", blockid=ids[n]),
                                   content=thirds[n])
        assert staged.status_code == 201, staged.text
        assert "x-ms-version-id" not in staged.headers
    missing = "<?xml version='1.0' encoding='utf-8'?><BlockList><Latest>bm9wZQ==</Latest></BlockList>"
    assert_error(server.client.put(_block_url(created["dagsUploadUrl"], server, comp="blocklist"), content=missing),
                 400, "not uploaded")
    for n in range(3):  # a refused list drops the staged blocks: stage again
        server.client.put(_block_url(created["dagsUploadUrl"], server, comp="block", blockid=ids[n]), content=thirds[n])
    block_list = "<?xml version='1.0' encoding='utf-8'?><BlockList>" + "".join(
        f"<Latest>{block_id}</Latest>" for block_id in ids) + "</BlockList>"
    committed = server.client.put(_block_url(created["dagsUploadUrl"], server, comp="blocklist"), content=block_list)
    assert committed.status_code == 201, committed.text
    version = committed.headers["x-ms-version-id"]
    done = api.ok("POST", f"{base}/{created['id']}/finalize", json={"dagTarballVersion": version})
    assert done["status"] == "DEPLOYED"
    import hashlib
    digest = hashlib.sha256(body).hexdigest()
    assert (pathlib.Path(server.settings.data_dir) / "blobs" / "sha256" / digest[:2] / digest).read_bytes() == body


def test_block_upload_refuses_hostile_content_and_oversize(tmp_path, databases):
    from fastapi.testclient import TestClient

    from astroplane.app import create_app
    from astroplane.kit.db import Database
    from astroplane.kit.migrate import upgrade
    from conftest import Api, Server, make_settings, new_org
    url = databases.url("sqlite")
    database = Database(url)
    upgrade(database.engine)
    settings = make_settings(tmp_path, url, max_upload_bytes=4096)
    with TestClient(create_app(settings, database), raise_server_exceptions=False) as client:
        server = Server(settings, database, client, "sqlite")
        org = new_org(server)
        api = Api(server, org, org.token)
        deployment_id = insert_deployment(server, org.id, make_workspace(api)["id"])
        created = api.ok("POST", f"/deployments/{deployment_id}/deploys", json={"type": "DAG_ONLY"})
        upload = created["dagsUploadUrl"]
        assert client.put(_block_url(upload, server, comp="block", blockid="YQ=="), content=b"x" * 3000).status_code == 201
        assert_error(client.put(_block_url(upload, server, comp="block", blockid="Yg=="), content=b"x" * 2000), 400,
                     "upload limit")
        evil = tarball({"../evil.py": b"x"})
        client.put(_block_url(upload, server, comp="block", blockid="Yw=="), content=evil)
        assert_error(client.put(_block_url(upload, server, comp="blocklist"),
                                content="<BlockList><Latest>Yw==</Latest></BlockList>"), 400, "archive refused")
        assert_error(client.put(_block_url(upload, server, comp="blocklist"),
                                content='<!DOCTYPE x [<!ENTITY a "b">]><BlockList/>'), 400, "DOCTYPE")
        assert_error(client.put(_block_url(upload, server, comp="appendblock")), 400, "comp")
        assert _stored(server) == (set(), 0)
        assert not any((tmp_path / "blobs" / "staging" / "blocks").glob("*/*"))
    database.dispose()


def test_s3_compatible_blob_store(tmp_path, databases, monkeypatch):
    """The same deploy sequence with archives kept in an S3 bucket (moto's in-process S3)."""
    import hashlib

    import boto3
    from fastapi.testclient import TestClient
    from moto import mock_aws

    from astroplane.app import create_app
    from astroplane.deploys import blobstore
    from astroplane.kit.db import Database
    from astroplane.kit.migrate import upgrade
    from conftest import Api, Server, make_settings, new_org
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(blobstore, "_S3_CLIENTS", {})
    url = databases.url("sqlite")
    database = Database(url)
    upgrade(database.engine)
    settings = make_settings(tmp_path, url, blob_store_url="s3://dag-archives/astroplane", s3_region="us-east-1")
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="dag-archives")
        with TestClient(create_app(settings, database), raise_server_exceptions=False) as client:
            server = Server(settings, database, client, "sqlite")
            org = new_org(server)
            api = Api(server, org, org.token)
            deployment_id = insert_deployment(server, org.id, make_workspace(api)["id"])
            base = f"/deployments/{deployment_id}/deploys"
            created = api.ok("POST", base, json={"type": "DAG_ONLY"})
            assert_error(put_archive(server, created["dagsUploadUrl"], tarball({"/abs": b"x"})), 400, "archive")
            assert s3.list_objects_v2(Bucket="dag-archives").get("KeyCount") == 0
            body = tarball({"dags/s3.py": b"s3 = True\n"})
            version = put_archive(server, created["dagsUploadUrl"], body).headers["x-ms-version-id"]
            digest = hashlib.sha256(body).hexdigest()
            stored = s3.get_object(Bucket="dag-archives", Key=f"astroplane/sha256/{digest}")["Body"].read()
            assert stored == body
            assert not (tmp_path / "blobs" / "sha256").exists()  # nothing kept on local disk
            assert not [p for p in (tmp_path / "blobs" / "staging").rglob("*") if p.is_file()]
            assert api.ok("POST", f"{base}/{created['id']}/finalize",
                          json={"dagTarballVersion": version})["status"] == "DEPLOYED"
            # a blob gone from the bucket fails the deploy that names it
            again = api.ok("POST", base, json={"type": "DAG_ONLY"})
            version = put_archive(server, again["dagsUploadUrl"], body).headers["x-ms-version-id"]
            s3.delete_object(Bucket="dag-archives", Key=f"astroplane/sha256/{digest}")
            assert api.ok("POST", f"{base}/{again['id']}/finalize",
                          json={"dagTarballVersion": version})["status"] == "FAILED"
    database.dispose()

"""`astroplane serve --tls`: a certificate made once into the data directory, for the names a
client such as the Terraform provider insists on, that Python's ssl validates against our authority."""

import socket
import ssl

import pytest
from cryptography import x509

from astroplane.kit.tls import DEFAULT_NAMES, ensure_certificate
from live import LiveServer


def _handshake(files, server_name: str) -> None:
    """A TLS handshake in memory: our server certificate, a client that trusts only our authority."""
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(files.certificate, files.key)
    client_side = ssl.create_default_context(cafile=str(files.authority))
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    back_in, back_out = ssl.MemoryBIO(), ssl.MemoryBIO()
    client = client_side.wrap_bio(incoming, outgoing, server_hostname=server_name)
    server = server_side.wrap_bio(back_in, back_out, server_side=True)
    for _ in range(10):
        done = 0
        for side in (client, server):
            try:
                side.do_handshake()
                done += 1
            except ssl.SSLWantReadError:
                pass
        back_in.write(outgoing.read())
        incoming.write(back_out.read())
        if done == 2:
            return
    raise AssertionError("handshake did not finish")


def test_the_certificate_validates_for_the_astro_name_and_this_machine(tmp_path):
    files = ensure_certificate(tmp_path, ("astroplane.internal",))
    for name in (*DEFAULT_NAMES, "astroplane.internal"):
        _handshake(files, name)
    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(files, "api.astronomer.io")
    assert oct(files.key.stat().st_mode & 0o777) == "0o600"
    assert oct((tmp_path / "ca.key").stat().st_mode & 0o777) == "0o600"


def test_it_is_made_once_and_again_only_for_new_names(tmp_path):
    first = ensure_certificate(tmp_path)
    serial = x509.load_pem_x509_certificate(first.certificate.read_bytes()).serial_number
    authority = first.authority.read_bytes()
    assert x509.load_pem_x509_certificate(ensure_certificate(tmp_path).certificate.read_bytes()).serial_number == serial
    widened = ensure_certificate(tmp_path, ("api.astronomer.io",))
    assert x509.load_pem_x509_certificate(widened.certificate.read_bytes()).serial_number != serial
    assert widened.authority.read_bytes() == authority  # clients that trust it keep trusting
    _handshake(widened, "api.astronomer.io")


def test_serve_tls_answers_https_for_the_provider_host_name(tmp_path):
    server = LiveServer(tmp_path, f"sqlite:///{tmp_path}/astroplane.db")
    trust = ssl.create_default_context(cafile=str(ensure_certificate(tmp_path / "tls").authority))
    server.start("--tls", health_context=trust)
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
            with trust.wrap_socket(raw, server_hostname="api.astronomer-dev.io") as tls:
                tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: api.astronomer-dev.io\r\nConnection: close\r\n\r\n")
                answer = b""
                while chunk := tls.recv(4096):
                    answer += chunk
        assert answer.startswith(b"HTTP/1.1 200") and b'"ok"' in answer
        printed = server.logs()
        assert "127.0.0.1 api.astronomer-dev.io" in printed
        assert f"SSL_CERT_FILE={(tmp_path / 'tls' / 'ca.pem').resolve()}" in printed
    finally:
        server.stop()

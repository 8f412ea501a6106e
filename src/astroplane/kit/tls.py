"""HTTPS for `astroplane serve --tls`: a local certificate authority and a server certificate it
signs, made once into the data directory.

Clients that only talk to Astro's own names (the Terraform provider accepts nothing but
`https://api.astronomer*.io` hosts) reach astroplane through a hosts entry for one of those names
and trust this authority through SSL_CERT_FILE (or their own CA setting). The authority is kept
across runs, so a client configured once stays configured; the server certificate is made again
when the names asked for change.
"""

import dataclasses
import datetime as dt
import ipaddress
import os
import pathlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# The names every certificate covers: the Astro API host the provider accepts for a development
# control plane, and this machine.
DEFAULT_NAMES = ("api.astronomer-dev.io", "localhost", "127.0.0.1")
VALIDITY = dt.timedelta(days=825)  # the longest lifetime clients accept for a server certificate


@dataclasses.dataclass(frozen=True)
class TlsFiles:
    authority: pathlib.Path  # what clients trust (SSL_CERT_FILE)
    certificate: pathlib.Path
    key: pathlib.Path
    names: tuple[str, ...]


def _write_private(path: pathlib.Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _subject_alternative_names(names: tuple[str, ...]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


def _authority(folder: pathlib.Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert_path, key_path = folder / "ca.pem", folder / "ca.key"
    if cert_path.exists() and key_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return x509.load_pem_x509_certificate(cert_path.read_bytes()), key  # type: ignore[return-value]
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "astroplane local authority"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "astroplane")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(key_path, _pem_key(key))
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return certificate, key


def _covers(path: pathlib.Path, names: tuple[str, ...]) -> bool:
    if not path.exists():
        return False
    certificate = x509.load_pem_x509_certificate(path.read_bytes())
    if certificate.not_valid_after_utc < dt.datetime.now(dt.UTC) + dt.timedelta(days=30):
        return False
    present = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return present == _subject_alternative_names(names)


def ensure_certificate(folder: pathlib.Path, extra_names: tuple[str, ...] = ()) -> TlsFiles:
    """The authority and a server certificate for DEFAULT_NAMES plus `extra_names`, under `folder`."""
    names = tuple(dict.fromkeys([*DEFAULT_NAMES, *extra_names]))
    folder.mkdir(parents=True, exist_ok=True)
    files = TlsFiles(folder / "ca.pem", folder / "server.pem", folder / "server.key", names)
    authority, authority_key = _authority(folder)
    if _covers(files.certificate, names) and files.key.exists():
        return files
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(authority.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + VALIDITY)
        .add_extension(_subject_alternative_names(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority_key.public_key()),
                       critical=False)
        .sign(authority_key, hashes.SHA256())
    )
    _write_private(files.key, _pem_key(key))
    files.certificate.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return files

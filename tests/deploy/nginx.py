"""deploy/nginx/apap-portal.conf, read and run: its directives, and an nginx of our own.

`nginx -t` and the live tests wrap the site in a minimal nginx.conf in a temporary prefix
(pid, logs and temporary files there), with a self-signed certificate made here.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.deploy.commands import DEPLOY

SITE = DEPLOY / "nginx" / "apap-portal.conf"
HOST = "apap.example.org"
CERTIFICATE = f"/etc/letsencrypt/live/{HOST}/fullchain.pem"
PRIVATE_KEY = f"/etc/letsencrypt/live/{HOST}/privkey.pem"


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        pytest.skip("nginx is not installed (scripts/install-system-packages test installs it)")
    return found


def site_text() -> str:
    """The site without its comments."""
    return "\n".join(line.split("#", 1)[0].rstrip() for line in SITE.read_text().splitlines())


def block(text: str, opening: str) -> str:
    """The body of the block that starts with `opening` (e.g. "location /media/")."""
    start = text.index(opening + " {") + len(opening) + 2
    depth, position = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(text[position], 0)
        position += 1
    return text[start : position - 1]


def directives(text: str, name: str) -> list[str]:
    """The values of every `name …;` directive in `text` (nested blocks included)."""
    return [
        " ".join(value.split())
        for value in re.findall(rf'(?:^|[\s;{{}}]){name}\s+((?:"[^"]*"|[^;{{}}"])*);', text, re.M)
    ]


def nginx_size(value: str) -> int:
    units = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", value.lower()).groups()
    return int(number) * units[unit]


def nginx_seconds(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)(s|m)?", value).groups()
    return int(number) * (60 if unit == "m" else 1)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    certificate_file, key_file = folder / "certificate.pem", folder / "key.pem"
    certificate_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certificate_file, key_file


def wrapped(prefix: Path, site: str, *, as_root: bool = False) -> Path:
    """An nginx.conf in `prefix` that includes `site` as Debian's nginx.conf includes a site."""
    certificate, key = self_signed_certificate(prefix)
    site = site.replace(CERTIFICATE, str(certificate)).replace(PRIVATE_KEY, str(key))
    (prefix / "site.conf").write_text(site)
    temporary = "\n".join(
        f"  {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    configuration = prefix / "nginx.conf"
    configuration.write_text(
        # Workers of a root master run as `nobody`, who may not read pytest's folders.
        ("user root;\n" if as_root else "")
        + f"pid {prefix / 'nginx.pid'};\n"
        + f"error_log {prefix / 'error.log'};\n"
        + "events {}\n"
        + "http {\n"
        + "  include /etc/nginx/mime.types;\n"
        + "  default_type application/octet-stream;\n"
        + f"  access_log {prefix / 'access.log'};\n"
        + temporary
        + f"\n  include {prefix / 'site.conf'};\n"
        + "}\n"
    )
    return configuration


def nginx_test(prefix: Path, configuration: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [nginx_binary(), "-t", "-q", "-p", str(prefix), "-c", str(configuration)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

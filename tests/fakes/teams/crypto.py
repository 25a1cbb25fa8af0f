"""Test keys and a test CA, made at test time with `cryptography` (nothing secret is shipped).

- `SigningKey`: an RSA key with a kid, its public JWK (as Bot Framework's JWKS lists it, with
  ``endorsements``), and `sign` for Bot Framework-shaped activity tokens.
- `TestCA`: a CA and a server certificate for 127.0.0.1/localhost, so that the fakes speak
  HTTPS the way Microsoft's endpoints do; tests hand the CA to clients through
  ``SSL_CERT_FILE`` / ``REQUESTS_CA_BUNDLE`` (DESIGN.md), never by turning verification off.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import json
import ssl
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"


@functools.cache
def _infrastructure_key(role: str) -> rsa.RSAPrivateKey:
    # The CA's and server's keys are made once per test process: RSA generation is slow and
    # these keys prove nothing a test checks. Signing keys are made fresh for every test.
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class SigningKey:
    def __init__(self, kid: str | None = None, *, endorsements: tuple[str, ...] = ("msteams",)):
        self.kid = kid or f"test-{uuid.uuid4().hex[:12]}"
        self.endorsements = endorsements
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private.public_key()))
        public.update(kid=self.kid, use="sig", endorsements=list(self.endorsements))
        return dict(public)

    def sign(
        self,
        *,
        app_id: str,
        service_url: str | None,
        issuer: str = BOT_FRAMEWORK_ISSUER,
        lifetime: float = 3600,
        not_before: float | None = None,
        now: float | None = None,
        kid: str | None = None,
        algorithm: str = "RS256",
        extra: dict[str, Any] | None = None,
    ) -> str:
        """A token as Bot Framework sends with an activity (``lifetime`` < 0: already expired)."""
        issued = time.time() if now is None else now
        claims: dict[str, Any] = {
            "iss": issuer,
            "aud": app_id,
            "iat": int(issued),
            "nbf": int(issued if not_before is None else not_before),
            "exp": int(issued + lifetime),
        }
        if service_url is not None:
            claims["serviceurl"] = service_url
        claims.update(extra or {})
        return jwt.encode(
            claims,
            self.private,
            algorithm=algorithm,
            headers={"kid": kid or self.kid, "typ": "JWT"},
        )


class TestCA:
    """A throwaway CA and one server certificate for this machine's loopback names."""

    __test__ = False  # not a pytest test class

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        now = dt.datetime.now(dt.UTC)
        self._ca_key = _infrastructure_key("ca")
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "chatbot test CA")])
        ca_cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(self._ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self._ca_key.public_key()),
                critical=False,
            )
            .sign(self._ca_key, hashes.SHA256())
        )
        server_key = _infrastructure_key("server")
        server_cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name)
            .public_key(server_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName(
                    [
                        x509.DNSName("localhost"),
                        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                    ]
                ),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._ca_key.public_key()),
                critical=False,
            )
            .sign(self._ca_key, hashes.SHA256())
        )
        self.ca_file = directory / "test-ca.pem"
        self.ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
        self._cert_file = directory / "server.pem"
        self._cert_file.write_bytes(
            server_cert.public_bytes(serialization.Encoding.PEM)
            + server_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self._cert_file)
        return context

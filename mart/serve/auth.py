"""Password checks of the PostgreSQL protocol: SCRAM-SHA-256 (RFC 5802/7677) and md5."""

import base64
import hashlib
import hmac
import secrets
import stringprep
import unicodedata
from dataclasses import dataclass, field

ITERATIONS = 4096


class AuthFailed(Exception):
    pass


@dataclass
class Scram:
    """One SCRAM-SHA-256 exchange on the server side."""

    password: str
    salt: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    server_nonce: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    _client_first_bare: str = ""
    _server_first: str = ""

    def first(self, client_first: bytes) -> bytes:
        """client-first-message -> server-first-message."""
        try:
            _, _, bare = client_first.decode().split(",", 2)
            attributes = dict(part.split("=", 1) for part in bare.split(","))
            nonce = attributes["r"] + self.server_nonce
        except (ValueError, KeyError, UnicodeDecodeError):
            raise AuthFailed("malformed SCRAM client-first-message") from None
        self._client_first_bare = bare
        salt = base64.b64encode(self.salt).decode()
        self._server_first = f"r={nonce},s={salt},i={ITERATIONS}"
        return self._server_first.encode()

    def final(self, client_final: bytes) -> bytes:
        """client-final-message -> server-final-message, or AuthFailed."""
        try:
            without_proof, proof_part = client_final.decode().rsplit(",p=", 1)
            proof = base64.b64decode(proof_part)
            nonce = dict(part.split("=", 1) for part in without_proof.split(","))["r"]
        except (ValueError, KeyError, UnicodeDecodeError):
            raise AuthFailed("malformed SCRAM client-final-message") from None
        if not nonce.endswith(self.server_nonce):
            raise AuthFailed("SCRAM nonce mismatch")
        password = saslprep(self.password).encode()
        salted = hashlib.pbkdf2_hmac("sha256", password, self.salt, ITERATIONS)
        client_key = _hmac(salted, b"Client Key")
        stored_key = hashlib.sha256(client_key).digest()
        message = f"{self._client_first_bare},{self._server_first},{without_proof}".encode()
        signature = _hmac(stored_key, message)
        if len(proof) != len(signature):
            raise AuthFailed("wrong password")
        recovered = bytes(a ^ b for a, b in zip(proof, signature, strict=False))
        if not hmac.compare_digest(hashlib.sha256(recovered).digest(), stored_key):
            raise AuthFailed("wrong password")
        server_signature = _hmac(_hmac(salted, b"Server Key"), message)
        return b"v=" + base64.b64encode(server_signature)


_PROHIBITED = (
    stringprep.in_table_c12,
    stringprep.in_table_c21_c22,
    stringprep.in_table_c3,
    stringprep.in_table_c4,
    stringprep.in_table_c5,
    stringprep.in_table_c6,
    stringprep.in_table_c7,
    stringprep.in_table_c8,
    stringprep.in_table_c9,
    stringprep.in_table_a1,
)


def saslprep(password: str) -> str:
    """The password as libpq hashes it for SCRAM (RFC 4013, as PostgreSQL's pg_saslprep):
    non-ASCII spaces become spaces, invisible characters go, NFKC; a password SASLprep
    rejects is used as it is, as PostgreSQL and libpq both do."""
    if password.isascii():
        return password
    mapped = "".join(
        " " if stringprep.in_table_c12(c) else c for c in password if not stringprep.in_table_b1(c)
    )
    prepared = unicodedata.normalize("NFKC", mapped)
    if not prepared or any(test(c) for c in prepared for test in _PROHIBITED):
        return password
    if any(stringprep.in_table_d1(c) for c in prepared) and (
        any(stringprep.in_table_d2(c) for c in prepared)
        or not (stringprep.in_table_d1(prepared[0]) and stringprep.in_table_d1(prepared[-1]))
    ):
        return password
    return prepared


def md5_matches(answer: bytes, password: str, user: str, salt: bytes) -> bool:
    """Whether a PasswordMessage answers an md5 challenge with this salt."""
    inner = hashlib.md5((password + user).encode()).hexdigest()
    expected = "md5" + hashlib.md5(inner.encode() + salt).hexdigest()
    return hmac.compare_digest(answer.rstrip(b"\0"), expected.encode())


def _hmac(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()

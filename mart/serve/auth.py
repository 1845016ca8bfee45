"""Password checks of the PostgreSQL protocol: SCRAM-SHA-256 (RFC 5802/7677) and md5."""

import base64
import hashlib
import hmac
import secrets
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
        salted = hashlib.pbkdf2_hmac("sha256", self.password.encode(), self.salt, ITERATIONS)
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


def md5_matches(answer: bytes, password: str, user: str, salt: bytes) -> bool:
    """Whether a PasswordMessage answers an md5 challenge with this salt."""
    inner = hashlib.md5((password + user).encode()).hexdigest()
    expected = "md5" + hashlib.md5(inner.encode() + salt).hexdigest()
    return hmac.compare_digest(answer.rstrip(b"\0"), expected.encode())


def _hmac(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()

"""PostgreSQL's wire protocol v3 as bytes: message types by name, and framing each message.

Nothing here reads a socket or knows a session: connection.py reads and writes, this module says
what the bytes are (the names are those of PostgreSQL's protocol documentation, "Message
Formats").
"""

import struct

PROTOCOL_3 = 196608
SSL_REQUEST, GSS_REQUEST, CANCEL_REQUEST = 80877103, 80877104, 80877102
STARTUP_LIMIT = 10_000  # bytes: PostgreSQL's MAX_STARTUP_PACKET_LENGTH
AUTH_MESSAGE_LIMIT = 10_000  # bytes: password and SASL messages, before anyone is trusted

# Frontend message types.
BIND = b"B"
CLOSE = b"C"
DESCRIBE = b"D"
EXECUTE = b"E"
FLUSH = b"H"
PARSE = b"P"
PASSWORD = b"p"  # also SASLInitialResponse and SASLResponse
QUERY = b"Q"
SYNC = b"S"
TERMINATE = b"X"

# Backend messages without a body, framed once.
PARSE_COMPLETE = b"1\0\0\0\4"
BIND_COMPLETE = b"2\0\0\0\4"
CLOSE_COMPLETE = b"3\0\0\0\4"
EMPTY_QUERY_RESPONSE = b"I\0\0\0\4"
NO_DATA = b"n\0\0\0\4"
PORTAL_SUSPENDED = b"s\0\0\0\4"

# Authentication request codes (message R).
AUTH_OK, AUTH_MD5, AUTH_SASL, AUTH_SASL_CONTINUE, AUTH_SASL_FINAL = 0, 5, 10, 11, 12


class ProtocolViolation(Exception):
    """Bytes that cannot be a message here (SQLSTATE 08P01)."""


class ClientGone(Exception):
    """The client closed the connection (or sent something that cannot be a message)."""


def message(kind: bytes, body: bytes) -> bytes:
    """One framed message: its type, its length (itself included), its body."""
    return kind + struct.pack("!i", len(body) + 4) + body


def authentication(code: int, data: bytes = b"") -> bytes:
    return message(b"R", struct.pack("!i", code) + data)


def parameter_status(name: str, value: str) -> bytes:
    return message(b"S", name.encode() + b"\0" + value.encode() + b"\0")


def backend_key_data(process_id: int, secret: int) -> bytes:
    return message(b"K", struct.pack("!ii", process_id, secret))


def command_complete(tag: str) -> bytes:
    return message(b"C", tag.encode() + b"\0")


def ready_for_query(status: bytes) -> bytes:
    return b"Z\0\0\0\5" + status


def parameter_description(oids: list[int]) -> bytes:
    return message(b"t", struct.pack(f"!h{len(oids)}i", len(oids), *oids))


def error_response(
    code: str,
    text: str,
    position: int | None = None,
    fatal: bool = False,
    detail: str | None = None,
    hint: str | None = None,
) -> bytes:
    severity = b"FATAL" if fatal else b"ERROR"
    body = b"S" + severity + b"\0V" + severity + b"\0C" + code.encode() + b"\0"
    body += b"M" + text.encode() + b"\0"
    if detail:
        body += b"D" + detail.encode() + b"\0"
    if hint:
        body += b"H" + hint.encode() + b"\0"
    if position:
        body += b"P" + str(position).encode() + b"\0"
    return message(b"E", body + b"\0")


def cstrings(data: bytes, count: int = 1) -> list[str]:
    """The first count NUL-terminated strings of a message body."""
    parts = data.split(b"\0", count)
    if len(parts) <= count:
        raise ProtocolViolation("message string is not terminated")
    return [part.decode() for part in parts[:count]]


def int16s(data: bytes, offset: int) -> tuple[list[int], int]:
    """A count-prefixed list of Int16 at offset, and the offset after it."""
    (count,) = struct.unpack_from("!h", data, offset)
    values = list(struct.unpack_from(f"!{count}h", data, offset + 2))
    return values, offset + 2 + 2 * count


def startup_options(body: bytes) -> dict[str, str]:
    """The name/value pairs of a StartupMessage's body."""
    parts = body.split(b"\0")
    return {
        parts[i].decode(errors="replace"): parts[i + 1].decode(errors="replace")
        for i in range(0, len(parts) - 1, 2)
        if parts[i]
    }

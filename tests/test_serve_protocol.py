"""protocol.py without a socket: message framing as PostgreSQL's documentation spells it."""

import pytest

from mart.serve import protocol


def test_messages_are_framed_with_their_length() -> None:
    assert protocol.message(b"C", b"SELECT 1\0") == b"C\0\0\0\x0dSELECT 1\0"
    assert protocol.command_complete("SELECT 1") == b"C\0\0\0\x0dSELECT 1\0"
    assert protocol.ready_for_query(b"T") == b"Z\0\0\0\5T"
    assert protocol.authentication(protocol.AUTH_OK) == b"R\0\0\0\x08\0\0\0\0"
    assert protocol.parameter_status("TimeZone", "UTC") == b"S\0\0\0\x11TimeZone\0UTC\0"
    assert protocol.parameter_description([23, 25]) == b"t\0\0\0\x0e\0\2\0\0\0\x17\0\0\0\x19"
    assert protocol.backend_key_data(1, 2) == b"K\0\0\0\x0c\0\0\0\1\0\0\0\2"
    for bare in (protocol.PARSE_COMPLETE, protocol.NO_DATA, protocol.PORTAL_SUSPENDED):
        assert bare[1:] == b"\0\0\0\4"


def test_error_response_fields() -> None:
    sent = protocol.error_response("22023", "bad", 7, fatal=True, detail="why", hint="do this")
    assert sent == (b"E\0\0\0\x30SFATAL\0VFATAL\0C22023\0Mbad\0Dwhy\0Hdo this\0P7\0\0")
    assert protocol.error_response("42601", "x") == b"E\0\0\0\x1dSERROR\0VERROR\0C42601\0Mx\0\0"


def test_reading_message_bodies() -> None:
    assert protocol.cstrings(b"portal\0stmt\0rest", 2) == ["portal", "stmt"]
    with pytest.raises(protocol.ProtocolViolation, match="not terminated"):
        protocol.cstrings(b"no end", 1)
    assert protocol.int16s(b"\0\2\0\1\0\0tail", 0) == ([1, 0], 6)
    assert protocol.startup_options(b"user\0analyst\0database\0mart\0\0") == {
        "user": "analyst",
        "database": "mart",
    }

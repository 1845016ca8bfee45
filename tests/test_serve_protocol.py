"""protocol.py without a socket: message framing as PostgreSQL's documentation spells it."""

import struct
from datetime import date

import duckdb
import pytest

from mart.serve import protocol, rows


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


# -- each type's binary and text format, against PostgreSQL's own output -----------------------
# (PostgreSQL expression, DuckDB expression of the same value, PostgreSQL type oid)
TYPED_VALUES = [
    ("1::int2", "1::smallint", 21),
    ("-7::int4", "-7::integer", 23),
    ("9007199254740993::int8", "9007199254740993::bigint", 20),
    ("2.5::float8", "2.5::double", 701),
    ("true", "true", 16),
    ("date '2017-04-01'", "date '2017-04-01'", 1082),
    ("timestamp '2017-04-01 12:34:56.789'", "timestamp '2017-04-01 12:34:56.789'", 1114),
    ("timestamptz '2017-04-01 12:34:56+00'", "timestamptz '2017-04-01 12:34:56+00'", 1184),
    ("time '12:34:56.5'", "time '12:34:56.5'", 1083),
    ("time '00:00:00'", "time '00:00:00'", 1083),
    ("timetz '12:00:00+02'", "timetz '12:00:00+02'", 1266),
    ("timetz '23:59:59.25-05:30'", "timetz '23:59:59.25-05:30'", 1266),
    (
        "uuid 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
        "uuid 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
        2950,
    ),
    (
        "interval '1 year 2 mons 3 days 04:05:06.7'",
        "interval '1 year 2 months 3 days 04:05:06.7'",
        1186,
    ),
    ("interval '-26 hours'", "-interval '26 hours'", 1186),
    ("1234.50::numeric(10, 2)", "1234.50::decimal(10, 2)", 1700),
    ("'say \"hi\"'::varchar", "'say \"hi\"'", 1043),
    ("'\\x00ff'::bytea", "'\\x00\\xff'::blob", 17),
    ("array[1, null, 3]", "[1, null, 3]", 1007),
    ("array['a b', '', null, 'x']::varchar[]", "['a b', '', null, 'x']", 1015),
    ("array[array[1, 2], array[3, 4]]", "[[1, 2], [3, 4]]", 1007),
    (
        "array[uuid 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', null]",
        "[uuid 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', null]",
        2951,
    ),
    ("array[interval '1 mon', null]", "[interval '1 month', null]", 1187),
    ("array[time '01:02:03']", "[time '01:02:03']", 1183),
    ("array[date '2017-04-01']", "[date '2017-04-01']", 1182),
    ("'{}'::int[]", "[]::integer[]", 1007),
]


@pytest.fixture(scope="module")
def postgres_values(postgres_admin: str) -> dict[str, tuple[bytes, bytes]]:
    """PostgreSQL's (text, binary) bytes of each value of TYPED_VALUES."""
    import psycopg

    found = {}
    with psycopg.connect(postgres_admin, autocommit=True) as connection:
        connection.execute("set timezone = 'UTC'")
        for expression, _, oid in TYPED_VALUES:
            formats = []
            for result_format in (0, 1):
                result = connection.pgconn.exec_params(
                    f"select {expression}".encode(), [], result_format=result_format
                )
                assert result.ftype(0) == oid, expression
                value = result.get_value(0, 0)
                assert value is not None
                formats.append(bytes(value))
            found[expression] = (formats[0], formats[1])
    return found


def _fields(messages: bytes) -> list[bytes | None]:
    """The first field of each DataRow in messages."""
    fields: list[bytes | None] = []
    at = 0
    while at < len(messages):
        assert messages[at : at + 1] == b"D"
        (length,) = struct.unpack_from("!i", messages, at + 1)
        (size,) = struct.unpack_from("!i", messages, at + 7)
        fields.append(None if size < 0 else messages[at + 11 : at + 11 + size])
        at += 1 + length
    return fields


@pytest.mark.parametrize(("expression", "duckdb_expression", "oid"), TYPED_VALUES)
def test_values_are_encoded_as_postgresql_encodes_them(
    postgres_values: dict[str, tuple[bytes, bytes]],
    expression: str,
    duckdb_expression: str,
    oid: int,
) -> None:
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        relation = connection.sql(f"select {duckdb_expression} as v")
        columns = rows.columns_of(relation)
        assert columns[0].type_oid == oid
        for fmt in (0, 1):
            wire = connection.sql(rows.wire_sql(relation.sql_query(), columns, [fmt]))
            batch = wire.to_arrow_table().to_batches()[0]
            by_arrow = _fields(rows.data_rows(batch, columns, [fmt]))
            by_python = _fields(rows.encode_rows(wire.fetchall(), columns, [fmt]))
            assert by_arrow == by_python == [postgres_values[expression][fmt]], fmt


@pytest.mark.parametrize(("expression", "duckdb_expression", "oid"), TYPED_VALUES)
def test_parameters_decode_postgresql_bytes(
    postgres_values: dict[str, tuple[bytes, bytes]],
    expression: str,
    duckdb_expression: str,
    oid: int,
) -> None:
    """A client sends what PostgreSQL would send back: decoded in either format, it is the
    value DuckDB holds (compared through DuckDB, which binds the Python value)."""
    text, binary = postgres_values[expression]
    from_text = rows.decode_parameter(text, oid, False)
    from_binary = rows.decode_parameter(binary, oid, True)
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        expected = connection.sql(f"select {duckdb_expression}").fetchall()[0][0]
        if oid == 1186 and isinstance(from_binary, str):  # months: kept as interval text
            from_binary = connection.execute("select ?::interval", [from_binary]).fetchall()[0][0]
        if oid == 1186 and isinstance(from_text, str):
            from_text = connection.execute("select ?::interval", [from_text]).fetchall()[0][0]
        if oid == 1187:
            from_text = [
                None
                if v is None
                else connection.execute("select ?::interval", [v]).fetchall()[0][0]
                for v in from_text
            ]
            from_binary = [
                None
                if v is None or not isinstance(v, str)
                else connection.execute("select ?::interval", [v]).fetchall()[0][0]
                for v in from_binary
            ]
    assert from_binary == expected
    assert from_text == expected


@pytest.mark.parametrize(
    ("value", "oid", "sqlstate"),
    [
        (b"\0\0\1", 23, "08P01"),
        (b"\0\0\0\0\1", 23, None),  # a byte too many: 22P03, worded by the Bind
        (b"\1" * 15, 2950, "08P01"),
        (struct.pack("!iiiii", 1, 0, 23, 1 << 30, 1), 1007, "54000"),
        (struct.pack("!iiiii", 1, 0, 23, 3, 1) + struct.pack("!ii", 4, 1), 1007, "08P01"),
        (struct.pack("!iii", 7, 0, 23) + struct.pack("!ii", 1, 1) * 7, 1007, "54000"),
        (struct.pack("!iiiii", 1, 0, 20, 1, 1) + struct.pack("!iq", 8, 1), 1007, "42804"),
    ],
)
def test_bad_binary_parameters_are_refused(value: bytes, oid: int, sqlstate: str | None) -> None:
    if sqlstate is None:
        with pytest.raises(struct.error):
            rows.decode_parameter(value, oid, True)
        return
    with pytest.raises(rows.BadParameter) as refused:
        rows.decode_parameter(value, oid, True)
    assert refused.value.sqlstate == sqlstate


def test_array_literals_as_postgresql_reads_them() -> None:
    assert rows.decode_parameter(b"{1,NULL, 3 }", 1007, False) == [1, None, 3]
    assert rows.decode_parameter(b'{"a,b","say \\"hi\\"",null,"NULL"}', 1009, False) == [
        "a,b",
        'say "hi"',
        None,
        "NULL",
    ]
    assert rows.decode_parameter(b"{{1,2},{3,4}}", 1016, False) == [[1, 2], [3, 4]]
    assert rows.decode_parameter(b"{}", 1009, False) == []
    assert rows.decode_parameter(b"2017-01-01 +00", 1082, False) == date(2017, 1, 1)  # pgjdbc
    for bad in (b"{1,2", b"1,2}", b"{1,,2}", b"{{1},2}x"):
        with pytest.raises(rows.BadParameter) as refused:
            rows.decode_parameter(bad, 1007, False)
        assert refused.value.sqlstate == "22P02"

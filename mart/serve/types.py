"""DuckDB's types as PostgreSQL's: one mapping for the rows mart serve sends and its catalog."""

# PostgreSQL type oids (pg_type.dat).
BOOL, BYTEA, INT8, INT2, INT4, TEXT, FLOAT4, FLOAT8 = 16, 17, 20, 21, 23, 25, 700, 701
VARCHAR, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, INTERVAL = 1043, 1082, 1083, 1114, 1184, 1186
NUMERIC, UUID, JSON, TIMETZ, VARBIT = 1700, 2950, 114, 1266, 1562
TEXT_ARRAY = 1009
OID = 26  # unsigned 4 bytes, as parameters (x = any($1::oid[]), asyncpg's type look-up)

# A DuckDB type, by its name without parameters or array suffix (DECIMAL(24,6) -> DECIMAL),
# as the PostgreSQL type that holds it: (oid, typlen). Unsigned and wider integers become the
# smallest type that holds them; VARCHAR is varchar without a length (DuckDB keeps none and does
# not tell text from varchar). A type not listed here is text.
POSTGRES_TYPES: dict[str, tuple[int, int]] = {
    "BOOLEAN": (BOOL, 1),
    "TINYINT": (INT2, 2),
    "UTINYINT": (INT2, 2),
    "SMALLINT": (INT2, 2),
    "USMALLINT": (INT4, 4),
    "INTEGER": (INT4, 4),
    "UINTEGER": (INT8, 8),
    "BIGINT": (INT8, 8),
    "UBIGINT": (NUMERIC, -1),
    "HUGEINT": (NUMERIC, -1),
    "UHUGEINT": (NUMERIC, -1),
    "BIGNUM": (NUMERIC, -1),
    "VARINT": (NUMERIC, -1),
    "DECIMAL": (NUMERIC, -1),
    "FLOAT": (FLOAT4, 4),
    "DOUBLE": (FLOAT8, 8),
    "VARCHAR": (VARCHAR, -1),
    "ENUM": (VARCHAR, -1),
    "BLOB": (BYTEA, -1),
    "BIT": (VARBIT, -1),
    "DATE": (DATE, 4),
    "TIME": (TIME, 8),
    "TIME WITH TIME ZONE": (TIMETZ, 12),
    "TIMESTAMP": (TIMESTAMP, 8),
    "TIMESTAMP_S": (TIMESTAMP, 8),
    "TIMESTAMP_MS": (TIMESTAMP, 8),
    "TIMESTAMP_NS": (TIMESTAMP, 8),
    "TIMESTAMP WITH TIME ZONE": (TIMESTAMPTZ, 8),
    "INTERVAL": (INTERVAL, 16),
    "UUID": (UUID, 16),
    "JSON": (JSON, -1),
}

# An element type's oid -> its array type's oid (typarray in pg_type); any other is text[].
ARRAY_TYPES = {
    BOOL: 1000,
    BYTEA: 1001,
    INT2: 1005,
    INT4: 1007,
    TEXT: TEXT_ARRAY,
    INT8: 1016,
    FLOAT4: 1021,
    FLOAT8: 1022,
    VARCHAR: 1015,
    DATE: 1182,
    TIME: 1183,
    TIMESTAMP: 1115,
    TIMESTAMPTZ: 1185,
    INTERVAL: 1187,
    NUMERIC: 1231,
    TIMETZ: 1270,
    VARBIT: 1563,
    UUID: 2951,
    JSON: 199,
    OID: 1028,
}


def postgres_type(duckdb_type: str) -> tuple[int, int]:
    """(oid, typlen) of a DuckDB type spelled as DuckDB spells it (DECIMAL(24,6), ENUM('a'))."""
    return POSTGRES_TYPES.get(duckdb_type.split("(", 1)[0], (TEXT, -1))


def array_type(element_oid: int) -> int:
    return ARRAY_TYPES.get(element_oid, TEXT_ARRAY)


# An array type's oid -> its element's (typelem in pg_type).
ELEMENT_TYPES = {array: element for element, array in ARRAY_TYPES.items()}

# PostgreSQL's names of the types above as a cast or Parse may give them (pg_type.typname and
# the SQL spellings the parser turns into them), for messages and to type parameters.
TYPE_NAMES = {
    BOOL: "boolean",
    BYTEA: "bytea",
    INT2: "smallint",
    INT4: "integer",
    INT8: "bigint",
    TEXT: "text",
    FLOAT4: "real",
    FLOAT8: "double precision",
    VARCHAR: "character varying",
    DATE: "date",
    TIME: "time without time zone",
    TIMESTAMP: "timestamp without time zone",
    TIMESTAMPTZ: "timestamp with time zone",
    INTERVAL: "interval",
    NUMERIC: "numeric",
    UUID: "uuid",
    JSON: "json",
    TIMETZ: "time with time zone",
    VARBIT: "bit varying",
    OID: "oid",
}
CAST_NAMES = {
    "bool": BOOL,
    "boolean": BOOL,
    "bytea": BYTEA,
    "int2": INT2,
    "smallint": INT2,
    "int4": INT4,
    "int": INT4,
    "integer": INT4,
    "int8": INT8,
    "bigint": INT8,
    "text": TEXT,
    "float4": FLOAT4,
    "real": FLOAT4,
    "float8": FLOAT8,
    "float": FLOAT8,
    "varchar": VARCHAR,
    "bpchar": VARCHAR,
    "date": DATE,
    "time": TIME,
    "timetz": TIMETZ,
    "timestamp": TIMESTAMP,
    "timestamptz": TIMESTAMPTZ,
    "interval": INTERVAL,
    "numeric": NUMERIC,
    "decimal": NUMERIC,
    "uuid": UUID,
    "json": JSON,
    "oid": OID,
}


def element_type(array_oid: int) -> int | None:
    """The element type of an array type, None for a type that is not an array."""
    return ELEMENT_TYPES.get(array_oid)


def type_name(oid: int) -> str:
    element = ELEMENT_TYPES.get(oid)
    if element is not None:
        return type_name(element) + "[]"
    return TYPE_NAMES.get(oid, f"oid {oid}")

"""PostgreSQL's types and schemas in DuckDB's terms (its functions: registry.py)."""

from pglast.printers.dml import system_types

# Casts: reg* types become oids or names (Rewriter.reg_oid, reg_name); others map to DuckDB types.
REG_TYPES = {"regclass", "regtype", "regnamespace", "regrole", "regproc", "regprocedure"}
TYPES = {
    "oid": "int8",
    "xid": "int8",
    "xid8": "int8",
    "cid": "int8",
    "tid": "varchar",
    "name": "varchar",
    "char": "varchar",  # "char", quoted: PostgreSQL's one-byte type
    "bpchar": "varchar",
    "aclitem": "varchar",
    "pg_node_tree": "varchar",
    "inet": "varchar",
    "cidr": "varchar",
    "macaddr": "varchar",
    "anyarray": "varchar",
    "unknown": "varchar",
    "jsonb": "json",
    "int2vector": "int2[]",
    "oidvector": "int8[]",
    "sql_identifier": "varchar",
    "character_data": "varchar",
    "yes_or_no": "varchar",
    "cardinal_number": "int4",
    "time_stamp": "timestamptz",
}
STRING_TYPES = {"text", "varchar", "name", "bpchar", "char"}
PRINTED_TYPES = set(system_types)
# Schemas a column reference may name, which DuckDB knows under other names.
SCHEMAS = {"pg_catalog", "information_schema", "public", "main"}
TRIVIAL_COLLATIONS = {"default", "c", "posix", "ucs_basic"}

-- mart serve's PostgreSQL 15 catalog, emulated over DuckDB's metadata for the attached mart.
--
-- mart.serve.sql.install() runs this file in the in-memory catalog of the server's connection,
-- after `ATTACH '<file>' AS mart (READ_ONLY)`, and translate() points client SQL at it:
--   pg_catalog.X, and pg_X unqualified     -> memory.pg_compat.X
--   information_schema.X                   -> memory.pg_compat_information_schema.X
--   pg_catalog functions defined below     -> memory.pg_compat.<function>
--   x::regclass, ::regtype, ...            -> memory.mart_serve.<reg*_oid or reg*_name>(x)
-- memory.mart_serve holds what clients never name.
--
-- The mart's tables and views (catalog mart, schema main) appear in schema public (oid 2200)
-- with DuckDB's oids. pg_class, pg_attribute, pg_attrdef and pg_description are tables filled at
-- the end of this file from duckdb_tables(), duckdb_views() and duckdb_columns(): the mart is
-- attached read-only, so its catalog cannot change while the connection lives, and a republished
-- file gets a new connection and a new install. Reading small tables keeps client catalog
-- queries at a few milliseconds, where views over DuckDB's table functions took 5 to 30 ms.
--
-- Oids, type rows and column lists are PostgreSQL 15's own, copied from a real server. Keys,
-- indexes, sequences and string lengths come from mart/models.py (mart/serve/keys.py), views'
-- SQL from mart/views. The catalogs clients probe for what a DuckDB mart has none of
-- (functions, triggers, policies, publications...) are declared in catalog_empty.sql, and
-- translate() writes them as empty subqueries. Column types map as oid/xid -> bigint,
-- name/"char"/regproc/text/pg_node_tree -> varchar, int2vector -> smallint[], oidvector ->
-- bigint[], aclitem[] -> varchar[].
--
-- install() must stay fast (the server calls it for every republished file): static rows are
-- '|'-separated text split in SQL (DuckDB binds a VALUES list row by row: 15 ms for pg_type's
-- 91 rows), and every read of DuckDB's metadata names the databases it wants (unfiltered,
-- DuckDB first builds its whole system catalog: 10 ms).

create schema memory.pg_compat;
create schema memory.pg_compat_information_schema;
create schema memory.mart_serve;

-- The answers that depend on the connection; install() adds the one row.
create table memory.mart_serve.server (database_name varchar, version varchar);

-- DuckDB's types as PostgreSQL's: install() fills it from mart/serve/types.py.
create table memory.mart_serve.duckdb_types (duckdb_type varchar, oid integer, array_oid integer);

-- =============================================================================================
-- Types: PostgreSQL's built-in types, and DuckDB's mapped onto them.
-- =============================================================================================

-- format_name is format_type(oid, NULL): what information_schema and ::regtype print.
create table memory.mart_serve.types as
with fields as (
    select string_split(line, '|') as f
    from (select unnest(string_split(trim('
16|bool|boolean|1|t|b|B|t|,|0|1000|0|c|p|boolin|boolout|boolrecv|boolsend|-|-|-|-
17|bytea|bytea|-1|f|b|U|f|,|0|1001|0|i|x|byteain|byteaout|bytearecv|byteasend|-|-|-|-
18|char|"char"|1|t|b|Z|f|,|0|1002|0|c|p|charin|charout|charrecv|charsend|-|-|-|-
19|name|name|64|f|b|S|f|,|18|1003|950|c|p|namein|nameout|namerecv|namesend|-|-|raw_array_subscript_handler|-
20|int8|bigint|8|t|b|N|f|,|0|1016|0|d|p|int8in|int8out|int8recv|int8send|-|-|-|-
21|int2|smallint|2|t|b|N|f|,|0|1005|0|s|p|int2in|int2out|int2recv|int2send|-|-|-|-
22|int2vector|int2vector|-1|f|b|A|f|,|21|1006|0|i|p|int2vectorin|int2vectorout|int2vectorrecv|int2vectorsend|-|-|array_subscript_handler|-
23|int4|integer|4|t|b|N|f|,|0|1007|0|i|p|int4in|int4out|int4recv|int4send|-|-|-|-
24|regproc|regproc|4|t|b|N|f|,|0|1008|0|i|p|regprocin|regprocout|regprocrecv|regprocsend|-|-|-|-
25|text|text|-1|f|b|S|t|,|0|1009|100|i|x|textin|textout|textrecv|textsend|-|-|-|-
26|oid|oid|4|t|b|N|t|,|0|1028|0|i|p|oidin|oidout|oidrecv|oidsend|-|-|-|-
27|tid|tid|6|f|b|U|f|,|0|1010|0|s|p|tidin|tidout|tidrecv|tidsend|-|-|-|-
28|xid|xid|4|t|b|U|f|,|0|1011|0|i|p|xidin|xidout|xidrecv|xidsend|-|-|-|-
29|cid|cid|4|t|b|U|f|,|0|1012|0|i|p|cidin|cidout|cidrecv|cidsend|-|-|-|-
30|oidvector|oidvector|-1|f|b|A|f|,|26|1013|0|i|p|oidvectorin|oidvectorout|oidvectorrecv|oidvectorsend|-|-|array_subscript_handler|-
114|json|json|-1|f|b|U|f|,|0|199|0|i|x|json_in|json_out|json_recv|json_send|-|-|-|-
142|xml|xml|-1|f|b|U|f|,|0|143|0|i|x|xml_in|xml_out|xml_recv|xml_send|-|-|-|-
143|_xml|xml[]|-1|f|b|A|f|,|142|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
194|pg_node_tree|pg_node_tree|-1|f|b|Z|f|,|0|0|100|i|x|pg_node_tree_in|pg_node_tree_out|pg_node_tree_recv|pg_node_tree_send|-|-|-|-
199|_json|json[]|-1|f|b|A|f|,|114|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
700|float4|real|4|t|b|N|f|,|0|1021|0|i|p|float4in|float4out|float4recv|float4send|-|-|-|-
701|float8|double precision|8|t|b|N|t|,|0|1022|0|d|p|float8in|float8out|float8recv|float8send|-|-|-|-
705|unknown|unknown|-2|f|p|X|f|,|0|0|0|c|p|unknownin|unknownout|unknownrecv|unknownsend|-|-|-|-
790|money|money|8|t|b|N|f|,|0|791|0|d|p|cash_in|cash_out|cash_recv|cash_send|-|-|-|-
791|_money|money[]|-1|f|b|A|f|,|790|0|0|d|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
869|inet|inet|-1|f|b|I|t|,|0|1041|0|i|m|inet_in|inet_out|inet_recv|inet_send|-|-|-|-
1000|_bool|boolean[]|-1|f|b|A|f|,|16|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1001|_bytea|bytea[]|-1|f|b|A|f|,|17|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1002|_char|"char"[]|-1|f|b|A|f|,|18|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1003|_name|name[]|-1|f|b|A|f|,|19|0|950|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1005|_int2|smallint[]|-1|f|b|A|f|,|21|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1006|_int2vector|int2vector[]|-1|f|b|A|f|,|22|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1007|_int4|integer[]|-1|f|b|A|f|,|23|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1008|_regproc|regproc[]|-1|f|b|A|f|,|24|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1009|_text|text[]|-1|f|b|A|f|,|25|0|100|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1010|_tid|tid[]|-1|f|b|A|f|,|27|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1011|_xid|xid[]|-1|f|b|A|f|,|28|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1012|_cid|cid[]|-1|f|b|A|f|,|29|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1013|_oidvector|oidvector[]|-1|f|b|A|f|,|30|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1014|_bpchar|character[]|-1|f|b|A|f|,|1042|0|100|i|x|array_in|array_out|array_recv|array_send|bpchartypmodin|bpchartypmodout|array_subscript_handler|array_typanalyze
1015|_varchar|character varying[]|-1|f|b|A|f|,|1043|0|100|i|x|array_in|array_out|array_recv|array_send|varchartypmodin|varchartypmodout|array_subscript_handler|array_typanalyze
1016|_int8|bigint[]|-1|f|b|A|f|,|20|0|0|d|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1021|_float4|real[]|-1|f|b|A|f|,|700|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1022|_float8|double precision[]|-1|f|b|A|f|,|701|0|0|d|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1028|_oid|oid[]|-1|f|b|A|f|,|26|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1033|aclitem|aclitem|12|f|b|U|f|,|0|1034|0|i|p|aclitemin|aclitemout|-|-|-|-|-|-
1034|_aclitem|aclitem[]|-1|f|b|A|f|,|1033|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1041|_inet|inet[]|-1|f|b|A|f|,|869|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1042|bpchar|character|-1|f|b|S|f|,|0|1014|100|i|x|bpcharin|bpcharout|bpcharrecv|bpcharsend|bpchartypmodin|bpchartypmodout|-|-
1043|varchar|character varying|-1|f|b|S|f|,|0|1015|100|i|x|varcharin|varcharout|varcharrecv|varcharsend|varchartypmodin|varchartypmodout|-|-
1082|date|date|4|t|b|D|f|,|0|1182|0|i|p|date_in|date_out|date_recv|date_send|-|-|-|-
1083|time|time without time zone|8|t|b|D|f|,|0|1183|0|d|p|time_in|time_out|time_recv|time_send|timetypmodin|timetypmodout|-|-
1114|timestamp|timestamp without time zone|8|t|b|D|f|,|0|1115|0|d|p|timestamp_in|timestamp_out|timestamp_recv|timestamp_send|timestamptypmodin|timestamptypmodout|-|-
1115|_timestamp|timestamp without time zone[]|-1|f|b|A|f|,|1114|0|0|d|x|array_in|array_out|array_recv|array_send|timestamptypmodin|timestamptypmodout|array_subscript_handler|array_typanalyze
1182|_date|date[]|-1|f|b|A|f|,|1082|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1183|_time|time without time zone[]|-1|f|b|A|f|,|1083|0|0|d|x|array_in|array_out|array_recv|array_send|timetypmodin|timetypmodout|array_subscript_handler|array_typanalyze
1184|timestamptz|timestamp with time zone|8|t|b|D|t|,|0|1185|0|d|p|timestamptz_in|timestamptz_out|timestamptz_recv|timestamptz_send|timestamptztypmodin|timestamptztypmodout|-|-
1185|_timestamptz|timestamp with time zone[]|-1|f|b|A|f|,|1184|0|0|d|x|array_in|array_out|array_recv|array_send|timestamptztypmodin|timestamptztypmodout|array_subscript_handler|array_typanalyze
1186|interval|interval|16|f|b|T|t|,|0|1187|0|d|p|interval_in|interval_out|interval_recv|interval_send|intervaltypmodin|intervaltypmodout|-|-
1187|_interval|interval[]|-1|f|b|A|f|,|1186|0|0|d|x|array_in|array_out|array_recv|array_send|intervaltypmodin|intervaltypmodout|array_subscript_handler|array_typanalyze
1231|_numeric|numeric[]|-1|f|b|A|f|,|1700|0|0|i|x|array_in|array_out|array_recv|array_send|numerictypmodin|numerictypmodout|array_subscript_handler|array_typanalyze
1263|_cstring|cstring[]|-1|f|b|A|f|,|2275|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
1266|timetz|time with time zone|12|f|b|D|f|,|0|1270|0|d|p|timetz_in|timetz_out|timetz_recv|timetz_send|timetztypmodin|timetztypmodout|-|-
1270|_timetz|time with time zone[]|-1|f|b|A|f|,|1266|0|0|d|x|array_in|array_out|array_recv|array_send|timetztypmodin|timetztypmodout|array_subscript_handler|array_typanalyze
1560|bit|bit|-1|f|b|V|f|,|0|1561|0|i|x|bit_in|bit_out|bit_recv|bit_send|bittypmodin|bittypmodout|-|-
1561|_bit|bit[]|-1|f|b|A|f|,|1560|0|0|i|x|array_in|array_out|array_recv|array_send|bittypmodin|bittypmodout|array_subscript_handler|array_typanalyze
1562|varbit|bit varying|-1|f|b|V|t|,|0|1563|0|i|x|varbit_in|varbit_out|varbit_recv|varbit_send|varbittypmodin|varbittypmodout|-|-
1563|_varbit|bit varying[]|-1|f|b|A|f|,|1562|0|0|i|x|array_in|array_out|array_recv|array_send|varbittypmodin|varbittypmodout|array_subscript_handler|array_typanalyze
1700|numeric|numeric|-1|f|b|N|f|,|0|1231|0|i|m|numeric_in|numeric_out|numeric_recv|numeric_send|numerictypmodin|numerictypmodout|-|-
2202|regprocedure|regprocedure|4|t|b|N|f|,|0|2207|0|i|p|regprocedurein|regprocedureout|regprocedurerecv|regproceduresend|-|-|-|-
2203|regoper|regoper|4|t|b|N|f|,|0|2208|0|i|p|regoperin|regoperout|regoperrecv|regopersend|-|-|-|-
2204|regoperator|regoperator|4|t|b|N|f|,|0|2209|0|i|p|regoperatorin|regoperatorout|regoperatorrecv|regoperatorsend|-|-|-|-
2205|regclass|regclass|4|t|b|N|f|,|0|2210|0|i|p|regclassin|regclassout|regclassrecv|regclasssend|-|-|-|-
2206|regtype|regtype|4|t|b|N|f|,|0|2211|0|i|p|regtypein|regtypeout|regtyperecv|regtypesend|-|-|-|-
2207|_regprocedure|regprocedure[]|-1|f|b|A|f|,|2202|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
2208|_regoper|regoper[]|-1|f|b|A|f|,|2203|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
2209|_regoperator|regoperator[]|-1|f|b|A|f|,|2204|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
2210|_regclass|regclass[]|-1|f|b|A|f|,|2205|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
2211|_regtype|regtype[]|-1|f|b|A|f|,|2206|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
2249|record|record|-1|f|p|P|f|,|0|2287|0|d|x|record_in|record_out|record_recv|record_send|-|-|-|-
2275|cstring|cstring|-2|f|p|P|f|,|0|1263|0|c|p|cstring_in|cstring_out|cstring_recv|cstring_send|-|-|-|-
2278|void|void|4|t|p|P|f|,|0|0|0|i|p|void_in|void_out|void_recv|void_send|-|-|-|-
2287|_record|record[]|-1|f|p|P|f|,|2249|0|0|d|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
2950|uuid|uuid|16|f|b|U|f|,|0|2951|0|c|p|uuid_in|uuid_out|uuid_recv|uuid_send|-|-|-|-
2951|_uuid|uuid[]|-1|f|b|A|f|,|2950|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
3802|jsonb|jsonb|-1|f|b|U|f|,|0|3807|0|i|x|jsonb_in|jsonb_out|jsonb_recv|jsonb_send|-|-|jsonb_subscript_handler|-
3807|_jsonb|jsonb[]|-1|f|b|A|f|,|3802|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
4089|regnamespace|regnamespace|4|t|b|N|f|,|0|4090|0|i|p|regnamespacein|regnamespaceout|regnamespacerecv|regnamespacesend|-|-|-|-
4090|_regnamespace|regnamespace[]|-1|f|b|A|f|,|4089|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze
4096|regrole|regrole|4|t|b|N|f|,|0|4097|0|i|p|regrolein|regroleout|regrolerecv|regrolesend|-|-|-|-
4097|_regrole|regrole[]|-1|f|b|A|f|,|4096|0|0|i|x|array_in|array_out|array_recv|array_send|-|-|array_subscript_handler|array_typanalyze', chr(10)), chr(10))) as line)
)
select
    cast(f[1] as bigint) as oid,
    f[2] as typname,
    f[3] as format_name,
    cast(f[4] as smallint) as typlen,
    f[5] = 't' as typbyval,
    f[6] as typtype,
    f[7] as typcategory,
    f[8] = 't' as typispreferred,
    f[9] as typdelim,
    cast(f[10] as bigint) as typelem,
    cast(f[11] as bigint) as typarray,
    cast(f[12] as bigint) as typcollation,
    f[13] as typalign,
    f[14] as typstorage,
    f[15] as typinput,
    f[16] as typoutput,
    f[17] as typreceive,
    f[18] as typsend,
    f[19] as typmodin,
    f[20] as typmodout,
    f[21] as typsubscript,
    f[22] as typanalyze
from fields;

-- =============================================================================================
-- pg_catalog relations with static rows.
-- =============================================================================================

create view memory.pg_compat.pg_type as
select
    cast(oid as uinteger) as oid, typname, cast(11 as uinteger) as typnamespace,
    cast(10 as uinteger) as typowner, typlen,
    typbyval, typtype, typcategory, typispreferred, true as typisdefined, typdelim,
    cast(0 as uinteger) as typrelid, typsubscript, cast(typelem as uinteger) as typelem,
    cast(typarray as uinteger) as typarray, typinput, typoutput,
    typreceive, typsend, typmodin, typmodout, typanalyze, typalign, typstorage,
    false as typnotnull, cast(0 as uinteger) as typbasetype, -1 as typtypmod, 0 as typndims,
    cast(typcollation as uinteger) as typcollation, cast(null as varchar) as typdefaultbin, cast(null as varchar) as typdefault,
    cast(null as varchar[]) as typacl
from memory.mart_serve.types;

create view memory.pg_compat.pg_namespace as
select cast(oid as uinteger) as oid, nspname, cast(nspowner as uinteger) as nspowner,
    cast(null as varchar[]) as nspacl
from (values
    (99, 'pg_toast', 10),
    (11, 'pg_catalog', 10),
    (2200, 'public', 6171),
    (13207, 'information_schema', 10)
) as namespaces(oid, nspname, nspowner);

create view memory.pg_compat.pg_am as
select cast(oid as bigint) as oid, amname, amhandler, amtype
from (values
    (2, 'heap', 'heap_tableam_handler', 't'),
    (403, 'btree', 'bthandler', 'i'),
    (405, 'hash', 'hashhandler', 'i'),
    (783, 'gist', 'gisthandler', 'i'),
    (2742, 'gin', 'ginhandler', 'i'),
    (4000, 'spgist', 'spghandler', 'i'),
    (3580, 'brin', 'brinhandler', 'i')
) as methods(oid, amname, amhandler, amtype);

-- The btree operator classes of the types the mart's keys use (pg_index.indclass).
create view memory.pg_compat.pg_opclass as
select
    cast(oid as bigint) as oid, cast(403 as bigint) as opcmethod, opcname,
    cast(11 as bigint) as opcnamespace, cast(10 as bigint) as opcowner,
    cast(opcfamily as bigint) as opcfamily, cast(opcintype as bigint) as opcintype,
    true as opcdefault, cast(0 as bigint) as opckeytype
from (values
    (1978, 'int4_ops', 1976, 23),
    (1979, 'int2_ops', 1976, 21),
    (3122, 'date_ops', 434, 1082),
    (3124, 'int8_ops', 1976, 20),
    (3125, 'numeric_ops', 1988, 1700),
    (3126, 'text_ops', 1994, 25),
    (3128, 'timestamp_ops', 434, 1114),
    (10003, 'bool_ops', 424, 16)
) as classes(oid, opcname, opcfamily, opcintype);

create view memory.pg_compat.pg_collation as
select
    cast(oid as bigint) as oid, collname, cast(11 as bigint) as collnamespace,
    cast(10 as bigint) as collowner, collprovider, true as collisdeterministic,
    -1 as collencoding, collcollate, collcollate as collctype,
    cast(null as varchar) as colliculocale, cast(null as varchar) as collversion
from (values
    (100, 'default', 'd', cast(null as varchar)),
    (950, 'C', 'c', 'C'),
    (951, 'POSIX', 'c', 'POSIX')
) as collations(oid, collname, collprovider, collcollate);

-- The role every client is, owner of everything (oid 10, PostgreSQL's bootstrap superuser's),
-- and pg_database_owner, which owns schema public since PostgreSQL 15.
create view memory.pg_compat.pg_authid as
select
    cast(oid as bigint) as oid, rolname, false as rolsuper, true as rolinherit,
    false as rolcreaterole, false as rolcreatedb, rolcanlogin, false as rolreplication,
    false as rolbypassrls, -1 as rolconnlimit, cast(null as varchar) as rolpassword,
    cast(null as timestamptz) as rolvaliduntil
from (values (10, 'mart', true), (6171, 'pg_database_owner', false)) as roles(oid, rolname, rolcanlogin);

create view memory.pg_compat.pg_tablespace as
select
    cast(oid as bigint) as oid, spcname, cast(10 as bigint) as spcowner,
    cast(null as varchar[]) as spcacl, cast(null as varchar[]) as spcoptions
from (values (1663, 'pg_default'), (1664, 'pg_global')) as tablespaces(oid, spcname);

-- One database: the one the client connected to (oid 5, as PostgreSQL numbers its first).
-- DuckDB compares strings byte by byte: collation C.
create view memory.pg_compat.pg_database as
select
    cast(5 as bigint) as oid, database_name as datname, cast(10 as bigint) as datdba,
    6 as encoding, 'c' as datlocprovider, false as datistemplate, true as datallowconn,
    -1 as datconnlimit, cast(0 as bigint) as datfrozenxid, cast(0 as bigint) as datminmxid,
    cast(1663 as bigint) as dattablespace, 'C' as datcollate, 'C' as datctype,
    cast(null as varchar) as daticulocale, cast(null as varchar) as datcollversion,
    cast(null as varchar[]) as datacl
from memory.mart_serve.server;

-- What current_setting() reads: the values a session starts with, and its TimeZone. SHOW and
-- SET are the session's own business (mart.serve.sql classifies them; they never reach DuckDB).
create view memory.pg_compat.pg_settings as
select
    split_part(line, '|', 1) as name,
    -- A session's TimeZone: its cursors carry it (Session._cursor).
    case when split_part(line, '|', 1) = 'TimeZone'
        then coalesce(getvariable('mart_timezone'), 'UTC')
        else split_part(line, '|', 2) end as setting,
    cast(null as varchar) as unit,
    'mart serve' as category,
    '' as short_desc,
    cast(null as varchar) as extra_desc,
    'user' as context,
    'string' as vartype,
    'default' as source,
    cast(null as varchar) as min_val,
    cast(null as varchar) as max_val,
    cast(null as varchar[]) as enumvals,
    split_part(line, '|', 2) as boot_val,
    split_part(line, '|', 2) as reset_val,
    cast(null as varchar) as sourcefile,
    cast(null as integer) as sourceline,
    false as pending_restart
from (select unnest(string_split(trim('
server_version|15.0
server_version_num|150000
server_encoding|UTF8
client_encoding|UTF8
DateStyle|ISO, MDY
IntervalStyle|postgres
TimeZone|UTC
standard_conforming_strings|on
integer_datetimes|on
max_identifier_length|63
search_path|"$user", public
default_transaction_read_only|on
transaction_read_only|on
default_transaction_isolation|read committed
transaction_isolation|read committed
is_superuser|off
lc_collate|C
lc_ctype|C
block_size|8192
max_index_keys|32
bytea_output|hex
extra_float_digits|1
lc_messages|C
lc_monetary|C
lc_numeric|C
lc_time|C
application_name|', chr(10)), chr(10))) as line)
-- As in PostgreSQL, is_superuser is reported and read by current_setting(), not listed.
where split_part(line, '|', 1) <> 'is_superuser';

-- =============================================================================================
-- Relations and columns: declared here, filled at the end of the file.
-- =============================================================================================


-- The mart's relations and this catalog's, with DuckDB's oid and definition for each.
create table memory.mart_serve.relations (
    oid bigint, relname varchar, relnamespace bigint, relkind varchar, relnatts smallint,
    comment varchar, duckdb_oid bigint, view_sql varchar
);

-- Their columns, with the PostgreSQL type.
create table memory.mart_serve.columns (
    attrelid bigint, attname varchar, attnum smallint, atttypid bigint, atttypmod integer,
    is_array boolean, is_nullable boolean, column_default varchar, comment varchar
);

-- What models.py declares and DuckDB does not keep: constraints with their names and
-- definitions, string types with their lengths, sequences' parameters. install() fills these
-- from mart/serve/keys.py when the file is at the migration head (otherwise they stay empty,
-- and the catalog shows no keys). pg_constraint, pg_index and the rest are built from them at
-- the end of this file, for the tables and columns the file has.
create table memory.mart_serve.declared_keys (
    table_name varchar, conname varchar, contype varchar, columns varchar[],
    ref_table varchar, ref_columns varchar[], expression varchar, nulls_not_distinct boolean,
    definition varchar, pretty_definition varchar, index_definition varchar,
    pretty_index_definition varchar
);

create table memory.mart_serve.declared_strings (
    table_name varchar, column_name varchar, typname varchar, length integer
);

-- The mart's views as mart/views writes them, where the file's are the same views (install()
-- compares DuckDB's parse of both): their SQL and the relations each reads.
create table memory.mart_serve.declared_views (
    view_name varchar, source varchar, reads varchar[]
);

create table memory.mart_serve.declared_sequences (
    sequence_name varchar, seqstart bigint, seqincrement bigint, seqmin bigint, seqmax bigint,
    seqcache bigint, seqcycle boolean
);

-- The sequences' rows (SELECT * FROM a sequence); filled at the end of the file.
create table memory.mart_serve.sequence_values (
    sequence_name varchar, last_value bigint, log_cnt bigint, is_called boolean
);

-- The constraints of the tables the file has, numbered; filled at the end of the file.
create table memory.mart_serve.keys (
    oid bigint, conname varchar, contype varchar, conrelid bigint, confrelid bigint,
    table_name varchar, ref_table varchar, columns varchar[], ref_columns varchar[],
    expression varchar, nulls_not_distinct boolean, definition varchar,
    pretty_definition varchar, index_definition varchar, pretty_index_definition varchar,
    index_oid bigint, conkey smallint[], confkey smallint[], key_types bigint[], conindid bigint
);

create table memory.mart_serve.not_null (
    conname varchar, table_name varchar, check_clause varchar
);

create table memory.pg_compat.pg_class (
    oid bigint, relname varchar, relnamespace bigint, reltype bigint, reloftype bigint,
    relowner bigint, relam bigint, relfilenode bigint, reltablespace bigint, relpages integer,
    reltuples float, relallvisible integer, reltoastrelid bigint, relhasindex boolean,
    relisshared boolean, relpersistence varchar, relkind varchar, relnatts smallint,
    relchecks smallint, relhasrules boolean, relhastriggers boolean, relhassubclass boolean,
    relrowsecurity boolean, relforcerowsecurity boolean, relispopulated boolean,
    relreplident varchar, relispartition boolean, relrewrite bigint, relfrozenxid bigint,
    relminmxid bigint, relacl varchar[], reloptions varchar[], relpartbound varchar
);

create table memory.pg_compat.pg_attribute (
    attrelid uinteger, attname varchar, atttypid uinteger, attstattarget integer, attlen smallint,
    attnum smallint, attndims integer, attcacheoff integer, atttypmod integer, attbyval boolean,
    attalign varchar, attstorage varchar, attcompression varchar, attnotnull boolean,
    atthasdef boolean, atthasmissing boolean, attidentity varchar, attgenerated varchar,
    attisdropped boolean, attislocal boolean, attinhcount integer, attcollation bigint,
    attacl varchar[], attoptions varchar[], attfdwoptions varchar[], attmissingval varchar
);

create table memory.pg_compat.pg_attrdef (
    oid bigint, adrelid bigint, adnum smallint, adbin varchar
);

create table memory.pg_compat.pg_constraint (
    oid bigint, conname varchar, connamespace bigint, contype varchar, condeferrable boolean,
    condeferred boolean, convalidated boolean, conrelid bigint, contypid bigint, conindid bigint,
    conparentid bigint, confrelid bigint, confupdtype varchar, confdeltype varchar,
    confmatchtype varchar, conislocal boolean, coninhcount integer, connoinherit boolean,
    conkey smallint[], confkey smallint[], conpfeqop bigint[], conppeqop bigint[],
    conffeqop bigint[], confdelsetcols smallint[], conexclop bigint[], conbin varchar
);

create table memory.pg_compat.pg_index (
    indexrelid bigint, indrelid bigint, indnatts smallint, indnkeyatts smallint,
    indisunique boolean, indnullsnotdistinct boolean, indisprimary boolean,
    indisexclusion boolean, indimmediate boolean, indisclustered boolean, indisvalid boolean,
    indcheckxmin boolean, indisready boolean, indislive boolean, indisreplident boolean,
    indkey smallint[], indcollation bigint[], indclass bigint[], indoption smallint[],
    indexprs varchar, indpred varchar
);

create table memory.pg_compat.pg_rewrite (
    oid bigint, rulename varchar, ev_class bigint, ev_type varchar, ev_enabled varchar,
    is_instead boolean, ev_qual varchar, ev_action varchar
);

create table memory.pg_compat.pg_depend (
    classid bigint, objid bigint, objsubid integer, refclassid bigint, refobjid bigint,
    refobjsubid integer, deptype varchar
);

create table memory.pg_compat.pg_sequence (
    seqrelid bigint, seqtypid bigint, seqstart bigint, seqincrement bigint, seqmax bigint,
    seqmin bigint, seqcache bigint, seqcycle boolean
);

create table memory.pg_compat.pg_description (
    objoid bigint, classoid bigint, objsubid integer, description varchar
);

-- =============================================================================================
-- Helpers for the reg* casts translate() rewrites: x::regclass is an oid where it is compared
-- and a name where it is printed (cast to text, or an item of a select list).
-- =============================================================================================

-- Tables inside macros carry aliases no client uses: DuckDB substitutes a macro's arguments as
-- written, so a client's pg_class.oid passed to a macro reading pg_class would bind to the
-- macro's own pg_class.

create macro memory.mart_serve.regclass_oid(arg_rel) as (
    case
        when arg_rel is null then null
        when try_cast(cast(arg_rel as varchar) as bigint) is not null
            then try_cast(cast(arg_rel as varchar) as bigint)
        else (
            -- pg_catalog comes first on PostgreSQL's search path, then public.
            select arg_min(serve_c.oid, serve_c.relnamespace <> 11)
            from memory.pg_compat.pg_class as serve_c
            inner join memory.pg_compat.pg_namespace as serve_n
                on serve_n.oid = serve_c.relnamespace
            where lower(replace(cast(arg_rel as varchar), '"', '')) in (
                serve_n.nspname || '.' || serve_c.relname,
                case when serve_c.relnamespace in (11, 2200) then serve_c.relname end
            )
        )
    end
);

create macro memory.mart_serve.regclass_name(arg_rel) as (
    case
        when try_cast(cast(arg_rel as varchar) as bigint) is null then cast(arg_rel as varchar)
        else coalesce((
            select min(case
                when serve_c.relnamespace in (11, 2200) then serve_c.relname
                else serve_n.nspname || '.' || serve_c.relname
            end)
            from memory.pg_compat.pg_class as serve_c
            inner join memory.pg_compat.pg_namespace as serve_n
                on serve_n.oid = serve_c.relnamespace
            where serve_c.oid = try_cast(cast(arg_rel as varchar) as bigint)
        ), cast(arg_rel as varchar))
    end
);

create macro memory.mart_serve.regtype_name(arg_type) as (
    case
        when try_cast(cast(arg_type as varchar) as bigint) is null then cast(arg_type as varchar)
        else coalesce((
            select min(serve_t.format_name)
            from memory.mart_serve.types as serve_t
            where serve_t.oid = try_cast(cast(arg_type as varchar) as bigint)
        ), cast(arg_type as varchar))
    end
);

create macro memory.mart_serve.regnamespace_oid(arg_nsp) as (
    case
        when arg_nsp is null then null
        when try_cast(cast(arg_nsp as varchar) as bigint) is not null
            then try_cast(cast(arg_nsp as varchar) as bigint)
        else (
            select min(serve_n.oid)
            from memory.pg_compat.pg_namespace as serve_n
            where serve_n.nspname = lower(replace(cast(arg_nsp as varchar), '"', ''))
        )
    end
);

create macro memory.mart_serve.regnamespace_name(arg_nsp) as (
    case
        when try_cast(cast(arg_nsp as varchar) as bigint) is null then cast(arg_nsp as varchar)
        else coalesce((
            select min(serve_n.nspname)
            from memory.pg_compat.pg_namespace as serve_n
            where serve_n.oid = try_cast(cast(arg_nsp as varchar) as bigint)
        ), cast(arg_nsp as varchar))
    end
);

create macro memory.mart_serve.regrole_oid(arg_role) as (
    case
        when arg_role is null then null
        when try_cast(cast(arg_role as varchar) as bigint) is not null
            then try_cast(cast(arg_role as varchar) as bigint)
        else (
            select min(serve_a.oid)
            from memory.pg_compat.pg_authid as serve_a
            where serve_a.rolname = replace(cast(arg_role as varchar), '"', '')
        )
    end
);

-- information_schema._pg_expandarray(a), which pgjdbc reads index keys with: a row (x, n) per
-- element, as PostgreSQL's set-returning function (two calls in one select list unnest side by
-- side, as PostgreSQL's do).
create macro memory.mart_serve.pg_expandarray(arg_array) as unnest(
    list_transform(range(1, len(arg_array) + 1), lambda i: {'x': arg_array[i], 'n': i})
);

-- =============================================================================================
-- pg_catalog functions clients call that need the catalog or the connection. translate()
-- inlines the others (stubs for what a DuckDB mart has none of, privileges, array bounds) and
-- those that only wrap a helper above (to_regclass, pg_partition_ancestors...). PostgreSQL's
-- overloads by argument type become one macro taking oids and names alike; overloads by
-- argument count are macro overloads.
-- =============================================================================================

create macro memory.pg_compat.version() as (
    select min(serve_s.version) from memory.mart_serve.server as serve_s
);

create macro memory.pg_compat.current_database() as (
    select min(serve_s.database_name) from memory.mart_serve.server as serve_s
);

create macro memory.pg_compat.current_setting(arg_name) as (
    select min(serve_s.setting)
    from (
        select name, setting from memory.pg_compat.pg_settings
        union all select 'is_superuser', 'off'
    ) as serve_s
    where lower(serve_s.name) = lower(arg_name)
), (arg_name, arg_missing_ok) as (
    select min(serve_s.setting)
    from (
        select name, setting from memory.pg_compat.pg_settings
        union all select 'is_superuser', 'off'
    ) as serve_s
    where lower(serve_s.name) = lower(arg_name)
);

create macro memory.pg_compat.pg_get_userbyid(arg_role) as coalesce(
    (
        select min(serve_a.rolname)
        from memory.pg_compat.pg_authid as serve_a
        where serve_a.oid = arg_role
    ),
    'unknown (OID=' || arg_role || ')'
);

create macro memory.pg_compat.pg_table_is_visible(arg_rel) as exists(
    select 1
    from memory.pg_compat.pg_class as serve_c
    where serve_c.oid = arg_rel and serve_c.relnamespace in (11, 2200)
);

create macro memory.pg_compat.pg_type_is_visible(arg_type) as exists(
    select 1 from memory.mart_serve.types as serve_t where serve_t.oid = arg_type
);

create macro memory.pg_compat.format_type(arg_type, arg_typmod) as (
    case
        when arg_type is null then null
        else coalesce((
            select min(case
                when serve_t.typname = 'numeric' and arg_typmod >= 4
                    then 'numeric(' || ((arg_typmod - 4) >> 16) || ','
                        || ((arg_typmod - 4) & 65535) || ')'
                when serve_t.typname in ('varchar', 'bpchar') and arg_typmod >= 4
                    then serve_t.format_name || '(' || (arg_typmod - 4) || ')'
                else serve_t.format_name
            end)
            from memory.mart_serve.types as serve_t
            where serve_t.oid = arg_type
        ), '???')
    end
);

create macro memory.pg_compat.to_regtype(arg_name) as (
    select min(serve_t.oid)
    from memory.mart_serve.types as serve_t
    where lower(regexp_replace(trim(cast(arg_name as varchar)), '^pg_catalog\.', ''))
        in (serve_t.typname, serve_t.format_name)
);

create macro memory.mart_serve.regtype_oid(arg_type) as (
    case
        when arg_type is null then null
        when try_cast(cast(arg_type as varchar) as bigint) is not null
            then try_cast(cast(arg_type as varchar) as bigint)
        else memory.pg_compat.to_regtype(cast(arg_type as varchar))
    end
);

create macro memory.pg_compat.obj_description(arg_object) as (
    select min(serve_d.description)
    from memory.pg_compat.pg_description as serve_d
    where serve_d.objoid = arg_object and serve_d.objsubid = 0
), (arg_object, arg_catalog) as (
    select min(serve_d.description)
    from memory.pg_compat.pg_description as serve_d
    where serve_d.objoid = arg_object
        and serve_d.objsubid = 0
        and serve_d.classoid = memory.mart_serve.regclass_oid(arg_catalog)
);

create macro memory.pg_compat.col_description(arg_rel, arg_column) as (
    select min(serve_d.description)
    from memory.pg_compat.pg_description as serve_d
    where serve_d.objoid = arg_rel and serve_d.classoid = 1259 and serve_d.objsubid = arg_column
);

-- A view's SELECT as mart/views writes it (SQL that PostgreSQL and DuckDB both run, so that
-- pg_dump's output restores into PostgreSQL), or else DuckDB's re-printed CREATE VIEW's.
-- PostgreSQL prints its own deparse: the texts differ, the views they define do not.
create macro memory.pg_compat.pg_get_viewdef(arg_view) as (
    select min(coalesce(
        ' ' || serve_v.source || ';',
        ' ' || regexp_replace(serve_r.view_sql, '^CREATE (OR REPLACE )?VIEW .*? AS ', '')
    ))
    from memory.mart_serve.relations as serve_r
    left join memory.mart_serve.declared_views as serve_v on serve_v.view_name = serve_r.relname
    where serve_r.oid = memory.mart_serve.regclass_oid(arg_view) and serve_r.relnamespace = 2200
), (arg_view, arg_pretty) as (
    select min(coalesce(
        ' ' || serve_v.source || ';',
        ' ' || regexp_replace(serve_r.view_sql, '^CREATE (OR REPLACE )?VIEW .*? AS ', '')
    ))
    from memory.mart_serve.relations as serve_r
    left join memory.mart_serve.declared_views as serve_v on serve_v.view_name = serve_r.relname
    where serve_r.oid = memory.mart_serve.regclass_oid(arg_view) and serve_r.relnamespace = 2200
);

-- quote_ident as PostgreSQL writes a name (keys.py's list of reserved words is not needed for
-- the mart's column names: none is one; a name that is not a plain identifier is quoted).
create macro memory.mart_serve.quote_ident(arg_name) as (
    case when regexp_full_match(arg_name, '[a-z_][a-z0-9_$]*') then arg_name
    else '"' || replace(arg_name, '"', '""') || '"' end
);

-- The constraints' and indexes' definitions, as PostgreSQL prints them with schema public on
-- the search path (mart/serve/keys.py writes them), plain or pretty.
-- pg_get_indexdef(oid, n, pretty) is the n-th column (0: the whole index).
create macro memory.pg_compat.pg_get_constraintdef(arg_constraint) as (
    select min(serve_k.definition)
    from memory.mart_serve.keys as serve_k
    where serve_k.oid = arg_constraint
), (arg_constraint, arg_pretty) as (
    select min(case when arg_pretty then serve_k.pretty_definition else serve_k.definition end)
    from memory.mart_serve.keys as serve_k
    where serve_k.oid = arg_constraint
);

create macro memory.pg_compat.pg_get_indexdef(arg_index) as (
    select min(serve_k.index_definition)
    from memory.mart_serve.keys as serve_k
    where serve_k.index_oid = arg_index
), (arg_index, arg_column, arg_pretty) as (
    select min(case
        when arg_column = 0 and arg_pretty then serve_k.pretty_index_definition
        when arg_column = 0 then serve_k.index_definition
        when arg_column between 1 and len(serve_k.columns) then
            memory.mart_serve.quote_ident(serve_k.columns[arg_column])
        else ''
    end)
    from memory.mart_serve.keys as serve_k
    where serve_k.index_oid = arg_index
);

-- Sizes: DuckDB stores the mart in its own format, so PostgreSQL's sizes of a relation (its
-- heap, indexes and TOAST, in 8 kB pages) do not exist; these answer NULL, "unknown", as
-- PostgreSQL does for a relation it does not have. pg_size_pretty is PostgreSQL's.
create macro memory.pg_compat.pg_table_size(arg_rel) as cast(null as bigint);

create macro memory.pg_compat.pg_total_relation_size(arg_rel) as cast(null as bigint);

create macro memory.pg_compat.pg_indexes_size(arg_rel) as cast(null as bigint);

create macro memory.pg_compat.pg_relation_size(arg_rel) as cast(null as bigint),
    (arg_rel, arg_fork) as cast(null as bigint);

create macro memory.mart_serve.half_rounded(arg_n) as
    cast(trunc((arg_n + case when arg_n < 0 then -1 else 1 end) / 2) as bigint);

create macro memory.pg_compat.pg_size_pretty(arg_size) as (
    case
        when arg_size is null then null
        when abs(arg_size) < 10240 then cast(arg_size as bigint) || ' bytes'
        when abs(cast(arg_size as bigint) >> 9) < 20479
            then memory.mart_serve.half_rounded(cast(arg_size as bigint) >> 9) || ' kB'
        when abs(cast(arg_size as bigint) >> 19) < 20479
            then memory.mart_serve.half_rounded(cast(arg_size as bigint) >> 19) || ' MB'
        when abs(cast(arg_size as bigint) >> 29) < 20479
            then memory.mart_serve.half_rounded(cast(arg_size as bigint) >> 29) || ' GB'
        when abs(cast(arg_size as bigint) >> 39) < 20479
            then memory.mart_serve.half_rounded(cast(arg_size as bigint) >> 39) || ' TB'
        else memory.mart_serve.half_rounded(cast(arg_size as bigint) >> 49) || ' PB'
    end
);

-- Both tablespaces are built in: PostgreSQL gives them no location.
create macro memory.pg_compat.pg_tablespace_location(arg_tablespace) as (
    case when arg_tablespace is null then null else '' end
);

-- array_remove(a, x): a without the elements equal to x (NULL: without the NULLs).
create macro memory.pg_compat.array_remove(arg_array, arg_element) as
    list_filter(arg_array, lambda serve_x: serve_x is distinct from arg_element);

-- Privileges: every relacl, nspacl and datacl is NULL (the owner's defaults); acldefault names
-- no privileges either, so pg_dump writes no GRANT or REVOKE for the mart.
create macro memory.pg_compat.acldefault(arg_type, arg_owner) as cast(null as varchar[]);

-- An options array ({name=value, ...}) as rows.
create macro memory.pg_compat.pg_options_to_table(arg_options) as table
select
    split_part(serve_o.o, '=', 1) as option_name,
    substr(serve_o.o, strpos(serve_o.o, '=') + 1) as option_value
from (select unnest(arg_options) as o) as serve_o;

-- quote_literal(x) as PostgreSQL writes a string constant (E'' when it holds a backslash);
-- pg_dump quotes option values with it.
create macro memory.pg_compat.quote_literal(arg_text) as (
    case
        when arg_text is null then null
        when contains(cast(arg_text as varchar), chr(92)) then 'E'''
            || replace(replace(cast(arg_text as varchar), chr(92), chr(92) || chr(92)), '''', '''''')
            || ''''
        else '''' || replace(cast(arg_text as varchar), '''', '''''') || ''''
    end
);

-- PostgreSQL 15's SQL keywords (word|catcode|barelabel), as pg_get_keywords() lists them.
create macro memory.pg_compat.pg_get_keywords() as table
select
    split_part(line, '|', 1) as word,
    split_part(line, '|', 2) as catcode,
    split_part(line, '|', 3) = 't' as barelabel,
    case split_part(line, '|', 2)
        when 'U' then 'unreserved'
        when 'C' then 'unreserved (cannot be function or type name)'
        when 'T' then 'reserved (can be function or type name)'
        else 'reserved'
    end as catdesc,
    case when split_part(line, '|', 3) = 't' then 'can be bare label' else 'requires AS' end
        as baredesc
from (select unnest(string_split(trim('
abort|U|t
absolute|U|t
access|U|t
action|U|t
add|U|t
admin|U|t
after|U|t
aggregate|U|t
all|R|t
also|U|t
alter|U|t
always|U|t
analyse|R|t
analyze|R|t
and|R|t
any|R|t
array|R|f
as|R|f
asc|R|t
asensitive|U|t
assertion|U|t
assignment|U|t
asymmetric|R|t
at|U|t
atomic|U|t
attach|U|t
attribute|U|t
authorization|T|t
backward|U|t
before|U|t
begin|U|t
between|C|t
bigint|C|t
binary|T|t
bit|C|t
boolean|C|t
both|R|t
breadth|U|t
by|U|t
cache|U|t
call|U|t
called|U|t
cascade|U|t
cascaded|U|t
case|R|t
cast|R|t
catalog|U|t
chain|U|t
char|C|f
character|C|f
characteristics|U|t
check|R|t
checkpoint|U|t
class|U|t
close|U|t
cluster|U|t
coalesce|C|t
collate|R|t
collation|T|t
column|R|t
columns|U|t
comment|U|t
comments|U|t
commit|U|t
committed|U|t
compression|U|t
concurrently|T|t
configuration|U|t
conflict|U|t
connection|U|t
constraint|R|t
constraints|U|t
content|U|t
continue|U|t
conversion|U|t
copy|U|t
cost|U|t
create|R|f
cross|T|t
csv|U|t
cube|U|t
current|U|t
current_catalog|R|t
current_date|R|t
current_role|R|t
current_schema|T|t
current_time|R|t
current_timestamp|R|t
current_user|R|t
cursor|U|t
cycle|U|t
data|U|t
database|U|t
day|U|f
deallocate|U|t
dec|C|t
decimal|C|t
declare|U|t
default|R|t
defaults|U|t
deferrable|R|t
deferred|U|t
definer|U|t
delete|U|t
delimiter|U|t
delimiters|U|t
depends|U|t
depth|U|t
desc|R|t
detach|U|t
dictionary|U|t
disable|U|t
discard|U|t
distinct|R|t
do|R|t
document|U|t
domain|U|t
double|U|t
drop|U|t
each|U|t
else|R|t
enable|U|t
encoding|U|t
encrypted|U|t
end|R|t
enum|U|t
escape|U|t
event|U|t
except|R|f
exclude|U|t
excluding|U|t
exclusive|U|t
execute|U|t
exists|C|t
explain|U|t
expression|U|t
extension|U|t
external|U|t
extract|C|t
false|R|t
family|U|t
fetch|R|f
filter|U|f
finalize|U|t
first|U|t
float|C|t
following|U|t
for|R|f
force|U|t
foreign|R|t
forward|U|t
freeze|T|t
from|R|f
full|T|t
function|U|t
functions|U|t
generated|U|t
global|U|t
grant|R|f
granted|U|t
greatest|C|t
group|R|f
grouping|C|t
groups|U|t
handler|U|t
having|R|f
header|U|t
hold|U|t
hour|U|f
identity|U|t
if|U|t
ilike|T|t
immediate|U|t
immutable|U|t
implicit|U|t
import|U|t
in|R|t
include|U|t
including|U|t
increment|U|t
index|U|t
indexes|U|t
inherit|U|t
inherits|U|t
initially|R|t
inline|U|t
inner|T|t
inout|C|t
input|U|t
insensitive|U|t
insert|U|t
instead|U|t
int|C|t
integer|C|t
intersect|R|f
interval|C|t
into|R|f
invoker|U|t
is|T|t
isnull|T|f
isolation|U|t
join|T|t
key|U|t
label|U|t
language|U|t
large|U|t
last|U|t
lateral|R|t
leading|R|t
leakproof|U|t
least|C|t
left|T|t
level|U|t
like|T|t
limit|R|f
listen|U|t
load|U|t
local|U|t
localtime|R|t
localtimestamp|R|t
location|U|t
lock|U|t
locked|U|t
logged|U|t
mapping|U|t
match|U|t
matched|U|t
materialized|U|t
maxvalue|U|t
merge|U|t
method|U|t
minute|U|f
minvalue|U|t
mode|U|t
month|U|f
move|U|t
name|U|t
names|U|t
national|C|t
natural|T|t
nchar|C|t
new|U|t
next|U|t
nfc|U|t
nfd|U|t
nfkc|U|t
nfkd|U|t
no|U|t
none|C|t
normalize|C|t
normalized|U|t
not|R|t
nothing|U|t
notify|U|t
notnull|T|f
nowait|U|t
null|R|t
nullif|C|t
nulls|U|t
numeric|C|t
object|U|t
of|U|t
off|U|t
offset|R|f
oids|U|t
old|U|t
on|R|f
only|R|t
operator|U|t
option|U|t
options|U|t
or|R|t
order|R|f
ordinality|U|t
others|U|t
out|C|t
outer|T|t
over|U|f
overlaps|T|f
overlay|C|t
overriding|U|t
owned|U|t
owner|U|t
parallel|U|t
parameter|U|t
parser|U|t
partial|U|t
partition|U|t
passing|U|t
password|U|t
placing|R|t
plans|U|t
policy|U|t
position|C|t
preceding|U|t
precision|C|f
prepare|U|t
prepared|U|t
preserve|U|t
primary|R|t
prior|U|t
privileges|U|t
procedural|U|t
procedure|U|t
procedures|U|t
program|U|t
publication|U|t
quote|U|t
range|U|t
read|U|t
real|C|t
reassign|U|t
recheck|U|t
recursive|U|t
ref|U|t
references|R|t
referencing|U|t
refresh|U|t
reindex|U|t
relative|U|t
release|U|t
rename|U|t
repeatable|U|t
replace|U|t
replica|U|t
reset|U|t
restart|U|t
restrict|U|t
return|U|t
returning|R|f
returns|U|t
revoke|U|t
right|T|t
role|U|t
rollback|U|t
rollup|U|t
routine|U|t
routines|U|t
row|C|t
rows|U|t
rule|U|t
savepoint|U|t
schema|U|t
schemas|U|t
scroll|U|t
search|U|t
second|U|f
security|U|t
select|R|t
sequence|U|t
sequences|U|t
serializable|U|t
server|U|t
session|U|t
session_user|R|t
set|U|t
setof|C|t
sets|U|t
share|U|t
show|U|t
similar|T|t
simple|U|t
skip|U|t
smallint|C|t
snapshot|U|t
some|R|t
sql|U|t
stable|U|t
standalone|U|t
start|U|t
statement|U|t
statistics|U|t
stdin|U|t
stdout|U|t
storage|U|t
stored|U|t
strict|U|t
strip|U|t
subscription|U|t
substring|C|t
support|U|t
symmetric|R|t
sysid|U|t
system|U|t
table|R|t
tables|U|t
tablesample|T|t
tablespace|U|t
temp|U|t
template|U|t
temporary|U|t
text|U|t
then|R|t
ties|U|t
time|C|t
timestamp|C|t
to|R|f
trailing|R|t
transaction|U|t
transform|U|t
treat|C|t
trigger|U|t
trim|C|t
true|R|t
truncate|U|t
trusted|U|t
type|U|t
types|U|t
uescape|U|t
unbounded|U|t
uncommitted|U|t
unencrypted|U|t
union|R|f
unique|R|t
unknown|U|t
unlisten|U|t
unlogged|U|t
until|U|t
update|U|t
user|R|t
using|R|t
vacuum|U|t
valid|U|t
validate|U|t
validator|U|t
value|U|t
values|C|t
varchar|C|t
variadic|R|t
varying|U|f
verbose|T|t
version|U|t
view|U|t
views|U|t
volatile|U|t
when|R|t
where|R|f
whitespace|U|t
window|R|f
with|R|f
within|U|f
without|U|f
work|U|t
wrapper|U|t
write|U|t
xml|U|t
xmlattributes|C|t
xmlconcat|C|t
xmlelement|C|t
xmlexists|C|t
xmlforest|C|t
xmlnamespaces|C|t
xmlparse|C|t
xmlpi|C|t
xmlroot|C|t
xmlserialize|C|t
xmltable|C|t
year|U|f
yes|U|t
zone|U|t', chr(10)), chr(10))) as line);

-- =============================================================================================
-- pg_catalog views.
-- =============================================================================================

create view memory.pg_compat.pg_roles as
select
    rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication,
    rolconnlimit, '********' as rolpassword, rolvaliduntil, rolbypassrls,
    cast(null as varchar[]) as rolconfig, oid
from memory.pg_compat.pg_authid;

create view memory.pg_compat.pg_user as
select
    rolname as usename, oid as usesysid, rolcreatedb as usecreatedb, rolsuper as usesuper,
    rolreplication as userepl, rolbypassrls as usebypassrls, '********' as passwd,
    rolvaliduntil as valuntil, cast(null as varchar[]) as useconfig
from memory.pg_compat.pg_authid
where rolcanlogin;

create view memory.pg_compat.pg_tables as
select
    n.nspname as schemaname,
    c.relname as tablename,
    memory.pg_compat.pg_get_userbyid(c.relowner) as tableowner,
    cast(null as varchar) as tablespace,
    c.relhasindex as hasindexes,
    c.relhasrules as hasrules,
    c.relhastriggers as hastriggers,
    c.relrowsecurity as rowsecurity
from memory.pg_compat.pg_class as c
inner join memory.pg_compat.pg_namespace as n on n.oid = c.relnamespace
where c.relkind = 'r';

create view memory.pg_compat.pg_views as
select
    n.nspname as schemaname,
    c.relname as viewname,
    memory.pg_compat.pg_get_userbyid(c.relowner) as viewowner,
    memory.pg_compat.pg_get_viewdef(c.oid) as definition
from memory.pg_compat.pg_class as c
inner join memory.pg_compat.pg_namespace as n on n.oid = c.relnamespace
where c.relkind = 'v';

create view memory.pg_compat.pg_indexes as
select
    'public' as schemaname,
    k.table_name as tablename,
    k.conname as indexname,
    cast(null as varchar) as tablespace,
    k.index_definition as indexdef
from memory.mart_serve.keys as k
where k.index_oid is not null;

create view memory.pg_compat.pg_sequences as
select
    'public' as schemaname,
    r.relname as sequencename,
    memory.pg_compat.pg_get_userbyid(10) as sequenceowner,
    'bigint' as data_type,
    s.seqstart as start_value,
    s.seqmin as min_value,
    s.seqmax as max_value,
    s.seqincrement as increment_by,
    s.seqcycle as cycle,
    s.seqcache as cache_size,
    -- NULL for a sequence never used (and to whoever may not read it: every client may).
    case when v.is_called then v.last_value end as last_value
from memory.pg_compat.pg_sequence as s
inner join memory.mart_serve.relations as r on r.oid = s.seqrelid
left join memory.mart_serve.sequence_values as v on v.sequence_name = r.relname;

-- One row per table, as PostgreSQL shows them just after pg_stat_reset(): mart serve counts no
-- scans, tuples, vacuums or analyses.
create view memory.pg_compat.pg_stat_user_tables as
select
    oid as relid, 'public' as schemaname, relname,
    cast(0 as bigint) as seq_scan, cast(0 as bigint) as seq_tup_read,
    cast(case when relhasindex then 0 end as bigint) as idx_scan,
    cast(case when relhasindex then 0 end as bigint) as idx_tup_fetch,
    cast(0 as bigint) as n_tup_ins, cast(0 as bigint) as n_tup_upd, cast(0 as bigint) as n_tup_del,
    cast(0 as bigint) as n_tup_hot_upd, cast(0 as bigint) as n_live_tup,
    cast(0 as bigint) as n_dead_tup, cast(0 as bigint) as n_mod_since_analyze,
    cast(0 as bigint) as n_ins_since_vacuum, cast(null as timestamptz) as last_vacuum,
    cast(null as timestamptz) as last_autovacuum, cast(null as timestamptz) as last_analyze,
    cast(null as timestamptz) as last_autoanalyze, cast(0 as bigint) as vacuum_count,
    cast(0 as bigint) as autovacuum_count, cast(0 as bigint) as analyze_count,
    cast(0 as bigint) as autoanalyze_count
from memory.pg_compat.pg_class
where relnamespace = 2200 and relkind = 'r';

-- =============================================================================================
-- information_schema, as PostgreSQL answers it for the mart. Nothing is insertable or
-- updatable: mart serve is read-only.
-- =============================================================================================

create view memory.pg_compat_information_schema.schemata as
select
    memory.pg_compat.current_database() as catalog_name,
    nspname as schema_name,
    memory.pg_compat.pg_get_userbyid(nspowner) as schema_owner,
    cast(null as varchar) as default_character_set_catalog,
    cast(null as varchar) as default_character_set_schema,
    cast(null as varchar) as default_character_set_name,
    cast(null as varchar) as sql_path
from memory.pg_compat.pg_namespace;

create view memory.pg_compat_information_schema.tables as
select
    memory.pg_compat.current_database() as table_catalog,
    n.nspname as table_schema,
    c.relname as table_name,
    case c.relkind when 'r' then 'BASE TABLE' else 'VIEW' end as table_type,
    cast(null as varchar) as self_referencing_column_name,
    cast(null as varchar) as reference_generation,
    cast(null as varchar) as user_defined_type_catalog,
    cast(null as varchar) as user_defined_type_schema,
    cast(null as varchar) as user_defined_type_name,
    'NO' as is_insertable_into,
    'NO' as is_typed,
    cast(null as varchar) as commit_action
from memory.pg_compat.pg_class as c
inner join memory.pg_compat.pg_namespace as n on n.oid = c.relnamespace
where c.relkind in ('r', 'v');

create view memory.pg_compat_information_schema.columns as
with described as (
    select
        n.nspname,
        c.relname,
        a.attname,
        a.attnum,
        a.atttypid,
        a.atttypmod,
        a.attnotnull,
        d.adbin,
        t.typname,
        t.typcategory,
        t.format_name,
        -- numeric(p, s) from its typmod
        case when t.typname = 'numeric' and a.atttypmod >= 4
            then (a.atttypmod - 4) >> 16 end as precision,
        case when t.typname = 'numeric' and a.atttypmod >= 4
            then (a.atttypmod - 4) & 65535 end as scale
    from memory.pg_compat.pg_attribute as a
    inner join memory.pg_compat.pg_class as c on c.oid = a.attrelid
    inner join memory.pg_compat.pg_namespace as n on n.oid = c.relnamespace
    inner join memory.mart_serve.types as t on t.oid = a.atttypid
    left join memory.pg_compat.pg_attrdef as d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where c.relkind in ('r', 'v') and a.attnum > 0 and not a.attisdropped
)
select
    memory.pg_compat.current_database() as table_catalog,
    nspname as table_schema,
    relname as table_name,
    attname as column_name,
    cast(attnum as integer) as ordinal_position,
    adbin as column_default,
    case when attnotnull then 'NO' else 'YES' end as is_nullable,
    case when typcategory = 'A' then 'ARRAY' else format_name end as data_type,
    cast(case when typname in ('varchar', 'bpchar') and atttypmod >= 4
        then atttypmod - 4 end as integer) as character_maximum_length,
    cast(case when typname in ('varchar', 'bpchar', 'text') then
        case when atttypmod >= 4 then (atttypmod - 4) * 4 else 1073741824 end
    end as integer) as character_octet_length,
    cast(case typname
        when 'int2' then 16 when 'int4' then 32 when 'int8' then 64
        when 'float4' then 24 when 'float8' then 53 when 'numeric' then precision
    end as integer) as numeric_precision,
    cast(case
        when typname in ('int2', 'int4', 'int8', 'float4', 'float8') then 2
        when typname = 'numeric' then 10
    end as integer) as numeric_precision_radix,
    cast(case
        when typname in ('int2', 'int4', 'int8') then 0
        when typname = 'numeric' then scale
    end as integer) as numeric_scale,
    cast(case
        when typname = 'date' then 0
        when typname in ('time', 'timetz', 'timestamp', 'timestamptz', 'interval') then 6
    end as integer) as datetime_precision,
    cast(null as varchar) as interval_type,
    cast(null as integer) as interval_precision,
    cast(null as varchar) as character_set_catalog,
    cast(null as varchar) as character_set_schema,
    cast(null as varchar) as character_set_name,
    cast(null as varchar) as collation_catalog,
    cast(null as varchar) as collation_schema,
    cast(null as varchar) as collation_name,
    cast(null as varchar) as domain_catalog,
    cast(null as varchar) as domain_schema,
    cast(null as varchar) as domain_name,
    memory.pg_compat.current_database() as udt_catalog,
    'pg_catalog' as udt_schema,
    typname as udt_name,
    cast(null as varchar) as scope_catalog,
    cast(null as varchar) as scope_schema,
    cast(null as varchar) as scope_name,
    cast(null as integer) as maximum_cardinality,
    cast(attnum as varchar) as dtd_identifier,
    'NO' as is_self_referencing,
    'NO' as is_identity,
    cast(null as varchar) as identity_generation,
    cast(null as varchar) as identity_start,
    cast(null as varchar) as identity_increment,
    cast(null as varchar) as identity_maximum,
    cast(null as varchar) as identity_minimum,
    'NO' as identity_cycle,
    'NEVER' as is_generated,
    cast(null as varchar) as generation_expression,
    'NO' as is_updatable
from described;

create view memory.pg_compat_information_schema.views as
select
    memory.pg_compat.current_database() as table_catalog,
    n.nspname as table_schema,
    c.relname as table_name,
    memory.pg_compat.pg_get_viewdef(c.oid) as view_definition,
    'NONE' as check_option,
    'NO' as is_updatable,
    'NO' as is_insertable_into,
    'NO' as is_trigger_updatable,
    'NO' as is_trigger_deletable,
    'NO' as is_trigger_insertable_into
from memory.pg_compat.pg_class as c
inner join memory.pg_compat.pg_namespace as n on n.oid = c.relnamespace
where c.relkind = 'v';

-- Constraints as the SQL standard names their kinds. PostgreSQL 15 also lists each NOT NULL
-- column of a table as a CHECK constraint named <schema oid>_<table oid>_<attnum>_not_null.
create view memory.pg_compat_information_schema.table_constraints as
select
    memory.pg_compat.current_database() as constraint_catalog,
    'public' as constraint_schema,
    conname as constraint_name,
    memory.pg_compat.current_database() as table_catalog,
    'public' as table_schema,
    table_name,
    constraint_type,
    'NO' as is_deferrable,
    'NO' as initially_deferred,
    'YES' as enforced,
    nulls_distinct
from (
    select
        k.conname,
        k.table_name,
        case k.contype
            when 'p' then 'PRIMARY KEY' when 'u' then 'UNIQUE' when 'f' then 'FOREIGN KEY'
            else 'CHECK'
        end as constraint_type,
        case when k.contype = 'u' then
            case when k.nulls_not_distinct then 'NO' else 'YES' end
        end as nulls_distinct
    from memory.mart_serve.keys as k
    where k.contype <> 'i'
    union all
    select n.conname, n.table_name, 'CHECK', null
    from memory.mart_serve.not_null as n
);

create view memory.pg_compat_information_schema.check_constraints as
select
    memory.pg_compat.current_database() as constraint_catalog,
    'public' as constraint_schema,
    conname as constraint_name,
    check_clause
from (
    select conname, '(' || expression || ')' as check_clause
    from memory.mart_serve.keys
    where contype = 'c'
    union all
    select conname, check_clause from memory.mart_serve.not_null
);

create view memory.pg_compat_information_schema.key_column_usage as
select
    memory.pg_compat.current_database() as constraint_catalog,
    'public' as constraint_schema,
    k.conname as constraint_name,
    memory.pg_compat.current_database() as table_catalog,
    'public' as table_schema,
    k.table_name,
    p.column_name,
    cast(p.position as integer) as ordinal_position,
    cast(case when k.contype = 'f' then (
        -- where the referenced column stands in the referenced key
        select min(u.position)
        from memory.mart_serve.keys as r,
            unnest(r.columns) with ordinality as u(column_name, position)
        where r.index_oid = k.conindid and u.column_name = k.ref_columns[p.position]
    ) end as integer) as position_in_unique_constraint
from memory.mart_serve.keys as k,
    unnest(k.columns) with ordinality as p(column_name, position)
where k.contype in ('p', 'u', 'f');

create view memory.pg_compat_information_schema.referential_constraints as
select
    memory.pg_compat.current_database() as constraint_catalog,
    'public' as constraint_schema,
    k.conname as constraint_name,
    memory.pg_compat.current_database() as unique_constraint_catalog,
    'public' as unique_constraint_schema,
    u.conname as unique_constraint_name,
    'NONE' as match_option,
    'NO ACTION' as update_rule,
    'NO ACTION' as delete_rule
from memory.mart_serve.keys as k
left join memory.mart_serve.keys as u on u.index_oid = k.conindid
where k.contype = 'f';

-- The columns a constraint uses: a key's own, a foreign key's referenced ones, the columns a
-- check reads.
create view memory.pg_compat_information_schema.constraint_column_usage as
select
    memory.pg_compat.current_database() as table_catalog,
    'public' as table_schema,
    case when k.contype = 'f' then k.ref_table else k.table_name end as table_name,
    c.column_name,
    memory.pg_compat.current_database() as constraint_catalog,
    'public' as constraint_schema,
    k.conname as constraint_name
from memory.mart_serve.keys as k,
    unnest(case when k.contype = 'f' then k.ref_columns else k.columns end) as c(column_name)
where k.contype <> 'i';

-- =============================================================================================
-- Filling the relation and column tables, now that every relation above exists.
-- =============================================================================================

-- The mart's relations, and this file's with PostgreSQL 15's oid and kind for each (so that
-- 'pg_class'::regclass = 1259 = pg_description.classoid, as clients expect). translate() reads
-- the same list, for the names it rewrites and the reg* casts it folds.
insert into memory.mart_serve.relations
with catalog_relations as (
    select
        split_part(line, '|', 1) as relname,
        cast(split_part(line, '|', 2) as bigint) as oid,
        split_part(line, '|', 3) as relkind,
        cast(split_part(line, '|', 4) as bigint) as relnamespace
    from (select unnest(string_split(trim('
pg_aggregate|2600|r|11
pg_amop|2602|r|11
pg_amproc|2603|r|11
pg_am|2601|r|11
pg_attrdef|2604|r|11
pg_attribute|1249|r|11
pg_auth_members|1261|r|11
pg_authid|1260|r|11
pg_cast|2605|r|11
pg_class|1259|r|11
pg_collation|3456|r|11
pg_constraint|2606|r|11
pg_conversion|2607|r|11
pg_database|1262|r|11
pg_default_acl|826|r|11
pg_depend|2608|r|11
pg_description|2609|r|11
pg_enum|3501|r|11
pg_event_trigger|3466|r|11
pg_extension|3079|r|11
pg_foreign_data_wrapper|2328|r|11
pg_foreign_server|1417|r|11
pg_foreign_table|3118|r|11
pg_indexes|12043|v|11
pg_index|2610|r|11
pg_inherits|2611|r|11
pg_init_privs|3394|r|11
pg_language|2612|r|11
pg_largeobject_metadata|2995|r|11
pg_locks|12073|v|11
pg_matviews|12038|v|11
pg_namespace|2615|r|11
pg_opclass|2616|r|11
pg_operator|2617|r|11
pg_opfamily|2753|r|11
pg_partitioned_table|3350|r|11
pg_policy|3256|r|11
pg_proc|1255|r|11
pg_publication_namespace|6237|r|11
pg_publication_rel|6106|r|11
pg_publication|6104|r|11
pg_range|3541|r|11
pg_rewrite|2618|r|11
pg_roles|12000|v|11
pg_rules|12023|v|11
pg_seclabels|12099|v|11
pg_seclabel|3596|r|11
pg_sequences|12048|v|11
pg_sequence|2224|r|11
pg_settings|12104|v|11
pg_shdescription|2396|r|11
pg_shseclabel|3592|r|11
pg_stat_activity|12222|v|11
pg_stat_user_tables|12161|v|11
pg_statistic_ext|3381|r|11
pg_subscription|6100|r|11
pg_tablespace|1213|r|11
pg_tables|12033|v|11
pg_transform|3576|r|11
pg_trigger|2620|r|11
pg_ts_config_map|3603|r|11
pg_ts_config|3602|r|11
pg_ts_dict|3600|r|11
pg_ts_parser|3601|r|11
pg_ts_template|3764|r|11
pg_type|1247|r|11
pg_user_mappings|12327|v|11
pg_user|12014|v|11
pg_views|12028|v|11
check_constraints|13260|v|13207
columns|13295|v|13207
constraint_column_usage|13300|v|13207
key_column_usage|13329|v|13207
referential_constraints|13339|v|13207
routines|13377|v|13207
schemata|13382|v|13207
sequences|13386|v|13207
table_constraints|13411|v|13207
tables|13425|v|13207
views|13483|v|13207', chr(10)), chr(10))) as line)
),
duck as (
    select
        database_name,
        schema_name,
        table_oid as duckdb_oid,
        table_name as relname,
        column_count,
        comment,
        cast(null as varchar) as view_sql
    from duckdb_tables()
    where database_name in ('mart', 'memory')
    union all
    select database_name, schema_name, view_oid, view_name, column_count, comment, sql
    from duckdb_views()
    where database_name in ('mart', 'memory')
)
select
    duckdb_oid as oid,
    relname,
    2200 as relnamespace,
    case when view_sql is null then 'r' else 'v' end as relkind,
    column_count as relnatts,
    comment,
    duckdb_oid,
    view_sql
from duck
where database_name = 'mart' and schema_name = 'main'
union all
select c.oid, c.relname, c.relnamespace, c.relkind, d.column_count, null, d.duckdb_oid, null
from duck as d
inner join catalog_relations as c
    on d.relname = c.relname
    and d.schema_name = case c.relnamespace
        when 11 then 'pg_compat' else 'pg_compat_information_schema'
    end
where d.database_name = 'memory'
union all
-- The mart's sequences (relkind S: last_value, log_cnt, is_called), those models.py declares.
select s.sequence_oid, s.sequence_name, 2200, 'S', 3, null, s.sequence_oid, null
from duckdb_sequences() as s
inner join memory.mart_serve.declared_sequences as d on d.sequence_name = s.sequence_name
where s.database_name = 'mart' and s.schema_name = 'main';

-- The PostgreSQL type of a DuckDB type, by its name without parameters or array suffix
-- (DECIMAL(24,6)[] -> DECIMAL), from mart_serve.duckdb_types: mart/serve/types.py's mapping,
-- which the rows mart serve sends use too. A type not listed there is text; a LIST or ARRAY is
-- the array type of its element (typarray in pg_type), or text[]. atttypmod is
-- ((p << 16) | s) + 4 for numeric(p, s), as in PostgreSQL, and -1 for everything else.
insert into memory.mart_serve.columns
with described as materialized (
    select
        r.oid as attrelid,
        c.column_name as attname,
        c.column_index as attnum,
        c.is_nullable,
        c.column_default,
        c.comment,
        c.numeric_precision,
        c.numeric_scale,
        c.data_type like '%]' as is_array,
        c.data_type like 'DECIMAL(%' as is_decimal,
        split_part(split_part(c.data_type, '(', 1), '[', 1) as base_type
        , r.relname, r.relkind
    from memory.mart_serve.relations as r
    inner join duckdb_columns() as c on c.table_oid = r.duckdb_oid
    -- The filter keeps DuckDB from listing (and first building) its own system catalog: 10 ms.
    where c.database_name in ('mart', 'memory')
)
select
    d.attrelid,
    d.attname,
    d.attnum,
    case
        when s.typname = 'text' and d.base_type = 'VARCHAR' and not d.is_array then 25
        when d.is_array then coalesce(t.array_oid, 1009)
        else coalesce(t.oid, 25)
    end as atttypid,
    case
        when d.is_decimal and not d.is_array then ((d.numeric_precision << 16) | d.numeric_scale) + 4
        when s.typname = 'varchar' and s.length >= 0 and d.base_type = 'VARCHAR'
            and not d.is_array then s.length + 4
        else -1
    end as atttypmod,
    d.is_array,
    d.is_nullable,
    d.column_default,
    d.comment
from described as d
left join memory.mart_serve.duckdb_types as t on t.duckdb_type = d.base_type
-- A table's string columns as models.py declares them, a view's as PostgreSQL types them from
-- its SQL (view_types.py): text, or varchar(n) (DuckDB has one VARCHAR, without a length).
left join memory.mart_serve.declared_strings as s
    on d.relkind in ('r', 'v') and s.table_name = d.relname and s.column_name = d.attname;

-- The mart's constraints on the tables and columns the file has, with oids numbered after the
-- largest DuckDB gave: the constraint's, and for a primary key or unique constraint, that of
-- the index behind it (named as the constraint, as PostgreSQL does). conkey, confkey and
-- indkey are attnums; a foreign key's conindid is the referenced key's index.
insert into memory.mart_serve.keys
with attnums as (
    -- each table's columns: name -> attnum, name -> type
    select
        attrelid,
        map_from_entries(list((attname, attnum))) as attnum_of,
        map_from_entries(list((attname, atttypid))) as type_of
    from memory.mart_serve.columns
    group by attrelid
),
declared as (
    select
        k.*,
        r.oid as conrelid,
        coalesce(fr.oid, 0) as confrelid,
        list_transform(k.columns, lambda c: a.attnum_of[c]) as conkey,
        list_transform(k.columns, lambda c: a.type_of[c]) as key_types,
        list_transform(k.ref_columns, lambda c: fa.attnum_of[c]) as confkey,
        row_number() over (order by k.table_name, k.conname) as n
    from memory.mart_serve.declared_keys as k
    inner join memory.mart_serve.relations as r
        on r.relname = k.table_name and r.relnamespace = 2200 and r.relkind = 'r'
    inner join attnums as a on a.attrelid = r.oid
    left join memory.mart_serve.relations as fr
        on fr.relname = k.ref_table and fr.relnamespace = 2200 and fr.relkind = 'r'
    left join attnums as fa on fa.attrelid = fr.oid
    where k.contype <> 'f' or fr.oid is not null
),
numbered as (
    select
        d.*,
        b.base + 2 * d.n - 1 as oid,
        case when d.contype in ('p', 'u', 'i') then b.base + 2 * d.n end as index_oid
    from declared as d
    cross join (select max(oid) as base from memory.mart_serve.relations) as b
    -- Every column in the file: a key whose columns are not all there is not the mart's.
    where list_position(d.conkey, null) is null
        and (d.contype <> 'f' or list_position(d.confkey, null) is null)
)
select
    k.oid, k.conname, k.contype, k.conrelid, k.confrelid, k.table_name, k.ref_table,
    k.columns, k.ref_columns, k.expression, k.nulls_not_distinct, k.definition,
    k.pretty_definition, k.index_definition, k.pretty_index_definition, k.index_oid,
    cast(k.conkey as smallint[]),
    cast(case when k.contype = 'f' then k.confkey end as smallint[]),
    k.key_types,
    -- A foreign key's conindid: the unique index on the referenced columns.
    case when k.contype = 'c' then 0 else coalesce(k.index_oid, u.index_oid) end
from numbered as k
left join numbered as u
    on k.contype = 'f' and u.conrelid = k.confrelid and u.contype in ('p', 'u')
    and u.columns = k.ref_columns;

-- The NOT NULL columns of the tables, as information_schema lists them.
insert into memory.mart_serve.not_null
select
    '2200_' || r.oid || '_' || c.attnum || '_not_null' as conname,
    r.relname as table_name,
    memory.mart_serve.quote_ident(c.attname) || ' IS NOT NULL' as check_clause
from memory.mart_serve.columns as c
inner join memory.mart_serve.relations as r on r.oid = c.attrelid
where r.relkind = 'r' and r.relnamespace = 2200 and not c.is_nullable;

-- Tables have heap storage (relam 2) and replica identity 'd'; views have neither, and a
-- _RETURN rule (relhasrules), as in PostgreSQL. Tables report their indexes and checks. The
-- indexes behind keys are relations too
-- (relkind i, btree: relam 403).
insert into memory.pg_compat.pg_class
select
    r.oid, r.relname, r.relnamespace, 0, 0, 10,
    case r.relkind when 'r' then 2 else 0 end,
    case when r.relkind in ('r', 'S') then r.oid else 0 end,
    0, 0, -1, 0, 0, coalesce(k.indexes, 0) > 0, false, 'p', r.relkind, r.relnatts,
    coalesce(k.checks, 0),
    -- PostgreSQL enforces foreign keys with internal triggers on both tables (pg_trigger
    -- lists them with tgisinternal; mart serve lists none, as psql and pg_dump show none).
    r.relkind = 'v', coalesce(k.has_foreign_keys, false), false, false, false, true,
    case r.relkind when 'r' then 'd' else 'n' end,
    false, 0, 0, 0, null, null, null
from memory.mart_serve.relations as r
left join (
    select
        conrelid,
        count(index_oid) as indexes,
        cast(count(*) filter (where contype = 'c') as smallint) as checks,
        bool_or(has_foreign_keys) as has_foreign_keys
    from (
        select conrelid, index_oid, contype, contype = 'f' as has_foreign_keys
        from memory.mart_serve.keys
        union all
        select confrelid, null, null, true from memory.mart_serve.keys where contype = 'f'
    )
    group by conrelid
) as k on k.conrelid = r.oid
union all
select
    index_oid, conname, 2200, 0, 0, 10, 403, index_oid, 0, 0, -1, 0, 0, false, false, 'p',
    'i', len(columns), 0, false, false, false, false, false, true, 'n', false, 0, 0, 0, null,
    null, null
from memory.mart_serve.keys
where index_oid is not null;

insert into memory.pg_compat.pg_attribute
select
    c.attrelid, c.attname, c.atttypid, -1, t.typlen, c.attnum,
    case when c.is_array then 1 else 0 end,
    -1, c.atttypmod, t.typbyval, t.typalign, t.typstorage, '',
    not c.is_nullable, c.column_default is not null, false, '', '', false, true, 0,
    t.typcollation, null, null, null, null
from memory.mart_serve.columns as c
left join memory.pg_compat.pg_type as t on t.oid = c.atttypid;

-- An index's columns are its own attributes 1..n, named and typed as the table's.
insert into memory.pg_compat.pg_attribute
select
    k.index_oid, a.attname, a.atttypid, -1, a.attlen, cast(p.position as smallint), 0, -1,
    a.atttypmod, a.attbyval, a.attalign, a.attstorage, '', false, false, false, '', '', false,
    true, 0, a.attcollation, null, null, null, null
from memory.mart_serve.keys as k,
    unnest(k.conkey) with ordinality as p(attnum, position)
inner join memory.pg_compat.pg_attribute as a on a.attrelid = k.conrelid and a.attnum = p.attnum
where k.index_oid is not null;

-- PostgreSQL's rows for these constraints: never deferrable, validated; a foreign key matches
-- simple and does nothing on update or delete (NO ACTION: 'a'), compared with the equality
-- operator of its type (int8 = 410, text = 98). Checks keep their expression in conbin, which
-- pg_get_expr prints as it is.
insert into memory.pg_compat.pg_constraint
select
    oid, conname, 2200, contype, false, false, true, conrelid, 0, conindid, 0, confrelid,
    case contype when 'f' then 'a' else ' ' end,
    case contype when 'f' then 'a' else ' ' end,
    case contype when 'f' then 's' else ' ' end,
    true, 0, contype <> 'c', conkey, confkey,
    case when contype = 'f' then
        list_transform(key_types, lambda t: case when t in (25, 1043) then 98 else 410 end)
    end,
    case when contype = 'f' then
        list_transform(key_types, lambda t: case when t in (25, 1043) then 98 else 410 end)
    end,
    case when contype = 'f' then
        list_transform(key_types, lambda t: case when t in (25, 1043) then 98 else 410 end)
    end,
    null, null,
    case when contype = 'c' then expression end
from memory.mart_serve.keys
where contype <> 'i';

-- The btree operator classes of the types keys use (int8_ops, text_ops for varchar and text,
-- int4_ops, int2_ops, date_ops, numeric_ops, bool_ops, timestamp_ops) and the collation of
-- string columns (default, 100). A plain index (contype i: no constraint) is not unique.
insert into memory.pg_compat.pg_index
select
    k.index_oid, k.conrelid, len(k.conkey), len(k.conkey), k.contype <> 'i',
    k.nulls_not_distinct,
    k.contype = 'p', false, true, false, true, false, true, true, false, k.conkey,
    list_transform(k.key_types, lambda t: case when t in (25, 1043) then 100 else 0 end),
    list_transform(k.key_types, lambda t: case t
        when 20 then 3124 when 25 then 3126 when 1043 then 3126 when 23 then 1978
        when 21 then 1979 when 1082 then 3122 when 1700 then 3125 when 16 then 10003
        when 1114 then 3128 else 0 end),
    cast(list_transform(k.conkey, lambda x: 0) as smallint[]),
    null, null
from memory.mart_serve.keys as k
where k.index_oid is not null;

insert into memory.pg_compat.pg_sequence
select r.oid, 20, d.seqstart, d.seqincrement, d.seqmax, d.seqmin, d.seqcache, d.seqcycle
from memory.mart_serve.relations as r
inner join memory.mart_serve.declared_sequences as d on d.sequence_name = r.relname
where r.relkind = 'S';

-- What SELECT * FROM a sequence shows (pg_dump reads last_value and is_called), from DuckDB's
-- state of the file's sequence: never used, PostgreSQL holds its start and is_called false;
-- used n times, the last value given and, with cache 1 (models.py's), log_cnt as PostgreSQL
-- leaves it without a checkpoint between the calls: each nextval() writes 32 values ahead to
-- the WAL once the last 32 are spent (SEQ_LOG_VALS), so 32 - (n - 1) % 33.
insert into memory.mart_serve.sequence_values
select
    s.sequence_name,
    coalesce(s.last_value, d.seqstart) as last_value,
    case
        when s.last_value is null or d.seqcache <> 1 then cast(0 as bigint)
        else cast(32 - ((s.last_value - d.seqstart) // d.seqincrement) % 33 as bigint)
    end as log_cnt,
    s.last_value is not null as is_called
from duckdb_sequences() as s
inner join memory.mart_serve.declared_sequences as d on d.sequence_name = s.sequence_name
where s.database_name = 'mart' and s.schema_name = 'main';

-- Column defaults as PostgreSQL prints them: DuckDB's nextval('s') is nextval('s'::regclass).
insert into memory.pg_compat.pg_attrdef
select
    attrelid * 1000 + attnum,
    attrelid,
    attnum,
    regexp_replace(column_default, '^nextval\(''([^'']*)''\)$', 'nextval(''\1''::regclass)')
from memory.mart_serve.columns
where column_default is not null;

-- DuckDB's comments on the mart's tables, views and columns (classoid 1259 is pg_class).
insert into memory.pg_compat.pg_description
select oid, 1259, 0, comment from memory.mart_serve.relations where comment <> ''
union all
select attrelid, 1259, attnum, comment from memory.mart_serve.columns where comment <> ''
union all
select 2200, 2615, 0, 'standard public schema';

-- Each view's _RETURN rule, as in PostgreSQL: the view is the rule's query (pg_get_viewdef).
insert into memory.pg_compat.pg_rewrite
select
    (select max(oid) from memory.mart_serve.relations) + 100000 + row_number() over (order by oid),
    '_RETURN', oid, '1', 'O', true, '<>', null
from memory.mart_serve.relations
where relkind = 'v' and relnamespace = 2200;

-- What depends on what, as pg_dump orders its output by: a view's rule on the relations the
-- view reads (mart/views' SQL says which; PostgreSQL records each column read, refobjsubid =
-- its attnum, where this records the relation) and on the view itself; a column default on the
-- sequence it draws from and on its column (pg_class is 1259, pg_rewrite 2618, pg_attrdef 2604).
insert into memory.pg_compat.pg_depend
select 2618, w.oid, 0, 1259, r.oid, 0, 'n'
from memory.pg_compat.pg_rewrite as w
inner join memory.mart_serve.relations as v on v.oid = w.ev_class
inner join memory.mart_serve.declared_views as d on d.view_name = v.relname
inner join memory.mart_serve.relations as r
    on r.relnamespace = 2200 and list_contains(d.reads, r.relname)
union all
select 2618, w.oid, 0, 1259, w.ev_class, 0, deptype
from memory.pg_compat.pg_rewrite as w, (values ('n'), ('i')) as kinds(deptype)
union all
select 2604, d.oid, 0, 1259, s.oid, 0, 'n'
from memory.pg_compat.pg_attrdef as d
inner join memory.mart_serve.relations as s
    on s.relkind = 'S' and d.adbin = 'nextval(''' || s.relname || '''::regclass)'
union all
select 2604, d.oid, 0, 1259, d.adrelid, d.adnum, 'a'
from memory.pg_compat.pg_attrdef as d;

-- psqlODBC 13 (as Excel and Power BI use it): connection start-up (one simple query of three
-- statements), SQLTables, SQLColumns for shipments_quarterly, then a prepared query with the
-- driver's per-query savepoint and its DEALLOCATE.
-- oid 237802: shipments_quarterly

-- name: startup
SET DateStyle = 'ISO';SET extra_float_digits = 2;show transaction_isolation

-- name: large_object_type
select oid, typbasetype from pg_type where typname = 'lo'

-- name: sql_tables
select relname, nspname, relkind from pg_catalog.pg_class c, pg_catalog.pg_namespace n where relkind in ('r', 'v', 'm', 'f', 'p') and nspname like 'public' and nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'pg_temp_1') and n.oid = relnamespace order by nspname, relname

-- name: current_schema
select current_schema()

-- name: sql_columns
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, 0, attidentity, c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.relname like 'shipments_quarterly' and n.nspname like 'public') inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum

-- name: begin
BEGIN

-- name: savepoint
SAVEPOINT _EXEC_SVP_0x55cab5964510

-- name: query
-- params: ["Xiaomi"]
select company, units from shipments_quarterly where company = $1 order by period

-- name: describe_result
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, 0, attidentity, c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.oid = 237802) inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum

-- name: deallocate
SAVEPOINT _per_query_svp_;DEALLOCATE "_PLAN0x55cab5991960";RELEASE _per_query_svp_

-- name: rollback
ROLLBACK

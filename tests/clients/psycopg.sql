-- psycopg 3: a parameterised query in a transaction (extended protocol for the query).

-- name: begin
BEGIN

-- name: query
-- params: ["Xiaomi"]
select period_start, units, source_count, basis from shipments_quarterly where company = $1 order by period

-- name: commit
COMMIT

-- Every statement with when it was known: known_from (the day it was stated) and known_until
-- (the day a later statement superseded it; NULL while it is current). What was known on a day
-- D: the rows with known_from <= D and (known_until is null or known_until > D). A forecast
-- (guidance, consensus, expected, target, planned) is superseded by the first statement of the
-- same fact (attribution included) on a later day, by any source, that gives another value or
-- bound (a forecast restated unchanged stays current, and the sources stating it agree); a
-- preliminary figure by the first final (reported or derived) statement of the fact on or
-- after its day; a final figure only by the same source's later statement of another value
-- (other sources' figures are compared, not revisions).
-- column statement_id: The statement (statement.statement_id; fact_provenance.fact_id): join statement for its other columns.
-- column company: Company name.
-- column fact_key: The fact stated, the same for every source and date (statement.fact_key).
-- column claim: actual (reported, preliminary or derived) or the forecast's basis (guidance, consensus, expected, target, planned); statements compare only within one claim.
-- column basis: reported, preliminary, derived, guidance, consensus, expected, target or planned.
-- column value: Value in base units (the low end of a range).
-- column value_high: High end of a range; NULL otherwise.
-- column bound: exact, about, at_least, at_most or range.
-- column interval_low: Lowest value the statement allows; NULL when unbounded below.
-- column interval_high: Highest value the statement allows; NULL when unbounded above.
-- column unit: Unit of the value.
-- column known_from: Day the figure was stated (statement.stated_on).
-- column known_until: Day a later statement superseded it; NULL while current.
-- column is_current: True while no later statement supersedes it: the statements the other views show.

-- Joined on company name first, so that a filter on company reaches the scan.
with stated as (
    select
        s.statement_id,
        s.source_id,
        s.company_id,
        c.company_name,
        s.metric_id,
        s.period_id,
        s.region_id,
        s.product_id,
        s.segment_id,
        s.attribution_id,
        s.store_brand,
        s.fact_key,
        case when s.basis in ('reported', 'preliminary', 'derived') then 'actual'
            else s.basis end as claim,
        s.basis,
        s.value,
        s.value_high,
        s.bound,
        s.interval_low,
        s.interval_high,
        s.unit,
        s.fiscal_period,
        s.stated_on
    from statement as s
    inner join company as c on s.company_id = c.company_id
),
later as (
    select s.statement_id, min(t.stated_on) as known_until
    from stated as s
    inner join stated as t
        on t.company_name = s.company_name
        and t.company_id = s.company_id
        and t.fact_key = s.fact_key
        and t.statement_id <> s.statement_id
    where (s.basis = 'preliminary' and t.claim = 'actual' and t.basis <> 'preliminary'
            and t.stated_on >= s.stated_on)
        or (s.basis <> 'preliminary' and t.basis <> 'preliminary'
            and (s.claim <> 'actual' or t.source_id = s.source_id)
            and t.stated_on > s.stated_on
            and (t.value is distinct from s.value or t.value_high is distinct from s.value_high
                or t.bound <> s.bound))
    group by s.statement_id
),
superseded as (
    select stated.*, later.known_until
    from stated
    left join later on later.statement_id = stated.statement_id
)
select
    statement_id,
    company_name as company,
    fact_key,
    claim,
    basis,
    value,
    value_high,
    bound,
    interval_low,
    interval_high,
    unit,
    stated_on as known_from,
    known_until,
    known_until is null as is_current
from superseded

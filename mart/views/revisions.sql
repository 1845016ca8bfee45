-- Every figure that changed between vintages: a forecast raised, lowered or narrowed by a
-- later statement of the same fact and attribution, a preliminary figure the final one
-- revised, or a source correcting its own figure. One row per change: from what, to what,
-- when, by how much. Figures restated unchanged are not listed (fact_provenance has every
-- vintage). Changes are between midpoints (a range's middle); is_within_previous says whether
-- the later figure stays within what the earlier allowed.
-- stored: per company
-- column company: Company name; NULL for a figure about the whole market of the region.
-- column is_market: True for a figure about the whole market of the region.
-- column metric: Metric key from the catalogue.
-- column region: Region or market name.
-- column product: Product name, where the figure is about one product.
-- column segment: Business segment name, where the figure is about one segment.
-- column store_brand: Store chain, for store figures.
-- column period: Period label the figure is for.
-- column fiscal_period: Fiscal label, where a source words the period fiscally.
-- column unit: Unit of the values.
-- column claim: actual (a preliminary or own figure revised) or the forecast's basis (guidance, consensus, expected, target, planned).
-- column attributed_to: Who gives the figure; NULL when the source itself.
-- column previous_basis: Basis of the earlier figure (e.g. preliminary, guidance).
-- column previous_value: Earlier value in base units (the low end of a range).
-- column previous_value_high: High end of the earlier range; NULL otherwise.
-- column previous_bound: exact, about, at_least, at_most or range, of the earlier value.
-- column previous_stated_on: Day the earlier figure was stated.
-- column basis: Basis of the later figure.
-- column value: Later value in base units (the low end of a range).
-- column value_high: High end of the later range; NULL otherwise.
-- column bound: exact, about, at_least, at_most or range, of the later value.
-- column stated_on: Day the later figure was stated (the revision).
-- column direction: raised or lowered (the middle, or where it is the same, the interval the bounds allow: around 5 billion -> more than 5 billion is raised), else restated.
-- column change_value: Later midpoint minus earlier midpoint, in the unit.
-- column change_pct: change_value over the earlier midpoint's magnitude, in percent; NULL when that is 0.
-- column is_within_previous: True when everything the later figure allows lies within what the earlier allowed (a preliminary "about 14 trillion" confirmed as 14.07 trillion).
-- column previous_fact_id: The earlier statement (fact_provenance.fact_id).
-- column fact_id: The later statement (fact_provenance.fact_id).

with superseded as not materialized (
    select s.*
    from statement as s
    where s.known_until is not null
        -- a looser wording its source bettered the same day is no revision
        and (s.known_until > s.stated_on or s.basis = 'preliminary')
),
successors as (
    select
        c.company_name as company,
        s.company_id is null as is_market,
        s.statement_id as previous_id,
        t.statement_id as next_id,
        row_number() over (
            partition by c.company_name, s.company_id is null, s.statement_id
            order by
                case t.bound when 'exact' then 0 when 'range' then 1 when 'about' then 2
                    else 3 end,
                t.statement_id
        ) as pick
    from superseded as s
    left join company as c on s.company_id = c.company_id
    inner join statement as t
        on t.company_id = s.company_id
        and t.fact_key = s.fact_key
        and t.stated_on = s.known_until
        and (
            split_part(s.fact_key, '|', 9) <> 'actual'
            or (s.basis = 'preliminary' and t.basis <> 'preliminary')
            or (s.basis <> 'preliminary' and t.basis <> 'preliminary'
                and t.source_id = s.source_id)
        )
),
changes as (
    select
        x.company,
        x.is_market,
        p.*,
        n.basis as next_basis,
        n.value as next_value,
        n.value_high as next_value_high,
        n.bound as next_bound,
        n.stated_on as next_stated_on,
        p.interval_low as previous_low,
        p.interval_high as previous_high,
        n.interval_low as next_low,
        n.interval_high as next_high,
        coalesce(n.interval_low >= p.interval_low, p.interval_low is null)
            and coalesce(n.interval_high <= p.interval_high, p.interval_high is null)
            as is_within_previous,
        n.statement_id as next_id,
        case when p.bound = 'range' then (p.value + p.value_high) / 2 else p.value end
            as previous_middle,
        case when n.bound = 'range' then (n.value + n.value_high) / 2 else n.value end
            as next_middle
    from successors as x
    inner join superseded as p on p.statement_id = x.previous_id
    inner join statement as n on n.statement_id = x.next_id
    where x.pick = 1
        and (p.value is distinct from n.value or p.value_high is distinct from n.value_high
            or p.bound <> n.bound)
)
select
    c.company,
    c.is_market,
    m.metric_key as metric,
    r.region_name as region,
    pr.product_name as product,
    sg.segment_name as segment,
    c.store_brand,
    pe.period_label as period,
    c.fiscal_period,
    c.unit,
    split_part(c.fact_key, '|', 9) as claim,
    a.attribution_name as attributed_to,
    c.basis as previous_basis,
    cast(c.value as numeric(24, 6)) as previous_value,
    cast(c.value_high as numeric(24, 6)) as previous_value_high,
    c.bound as previous_bound,
    c.stated_on as previous_stated_on,
    c.next_basis as basis,
    cast(c.next_value as numeric(24, 6)) as value,
    cast(c.next_value_high as numeric(24, 6)) as value_high,
    c.next_bound as bound,
    c.next_stated_on as stated_on,
    case when c.next_middle > c.previous_middle then 'raised'
        when c.next_middle < c.previous_middle then 'lowered'
        -- the same middle: the interval decides ("around 5 billion" -> "exceed 5 billion")
        when coalesce(c.next_low, c.previous_low - 1) > coalesce(c.previous_low, c.next_low)
            or (c.next_high is null and c.previous_high is not null) then 'raised'
        when coalesce(c.next_high, c.previous_high + 1) < coalesce(c.previous_high, c.next_high)
            or (c.next_low is null and c.previous_low is not null) then 'lowered'
        else 'restated' end as direction,
    cast(c.next_middle - c.previous_middle as numeric(24, 6)) as change_value,
    cast(
        round((c.next_middle - c.previous_middle) * 100 / nullif(abs(c.previous_middle), 0), 4)
        as numeric(24, 4)
    ) as change_pct,
    c.is_within_previous,
    c.statement_id as previous_fact_id,
    c.next_id as fact_id
from changes as c
inner join metric as m on c.metric_id = m.metric_id
inner join period as pe on c.period_id = pe.period_id
inner join region as r on c.region_id = r.region_id
left join product as pr on c.product_id = pr.product_id
left join segment as sg on c.segment_id = sg.segment_id
left join attribution as a on c.attribution_id = a.attribution_id

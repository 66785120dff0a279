-- The fiscal calendar for planning: every fiscal quarter of int_fiscal_quarters with a
-- running quarter_index (consecutive integers, so "the N quarters before" is an index
-- range, never date arithmetic) and its status relative to as_of_date: the quarter
-- containing as_of_date is `current`, earlier quarters are `past`, later `future`.
-- planning_anchor_quarter_index is the quarter a plan for this quarter reads its trailing
-- history before: the quarter itself for past and current quarters, the current quarter
-- for future ones (history after it is not known yet).
with calendar as (
    select * from {{ ref('int_fiscal_quarters') }}
),

indexed as (
    select
        *,
        row_number() over (order by quarter_start_date) as quarter_index
    from calendar
),

current_quarter as (
    select quarter_index as current_quarter_index
    from indexed
    where quarter_start_date = {{ crm_revenue.fiscal_quarter_start(crm_revenue.as_of_date()) }}
),

final as (
    select
        -- quarter
        indexed.quarter_start_date,
        indexed.quarter_end_date,
        indexed.fiscal_year,
        indexed.fiscal_quarter_number,
        indexed.fiscal_quarter,
        -- position
        indexed.quarter_index,
        current_quarter.current_quarter_index,
        case
            when indexed.quarter_index > current_quarter.current_quarter_index
                then current_quarter.current_quarter_index
            else indexed.quarter_index
        end as planning_anchor_quarter_index,
        case
            when indexed.quarter_index < current_quarter.current_quarter_index then 'past'
            when indexed.quarter_index = current_quarter.current_quarter_index then 'current'
            else 'future'
        end as quarter_status
    from indexed
    cross join current_quarter
)

select * from final

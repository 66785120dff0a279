-- Drill one waterfall bar down to its opportunities: FY2026-Q3's slipped pipeline of
-- acquisition deals (the bar's total is the sum of amount_corporate).
select
    opportunity_id,
    sub_element,
    amount_corporate,
    moved_at
from {{ ref('fct_pipeline_movements') }}
where
    quarter_start_date = '2026-07-01'
    and opportunity_type = 'acquisition'
    and element = 'value_change'
    and sub_element = 'slipped'
order by amount_corporate, opportunity_id

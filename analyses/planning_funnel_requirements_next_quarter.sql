-- The funnel walked backwards for the first future quarter with targets.
select
    opportunity_type,
    funnel_step,
    required_count,
    round(conversion_rate_used, 4) as rate_used,
    rate_basis,
    round(days_to_qualified, 1) as days_to_qualified,
    due_fiscal_quarter,
    marketing_sourced_required_count as marketing,
    other_sourced_required_count as other
from {{ ref('fct_funnel_requirements') }}
where
    quarter_start_date = (
        select min(pipeline_plan.quarter_start_date) from {{ ref('fct_pipeline_plan') }} as pipeline_plan
        where pipeline_plan.quarter_status = 'future'
    )
order by opportunity_type = 'all', opportunity_type, step_order

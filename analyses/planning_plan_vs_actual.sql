-- Plan vs actual, all opportunity types, past and current quarters (the current one to date).
select
    fiscal_quarter,
    quarter_status,
    closed_won_target,
    actual_closed_won,
    round(100 * won_attainment, 1) as won_pct,
    required_new_pipeline,
    actual_new_pipeline,
    round(100 * new_pipeline_attainment, 1) as new_pct,
    round(pipeline_coverage, 2) as coverage
from {{ ref('fct_pipeline_plan') }}
where opportunity_type = 'all' and quarter_status <> 'future'
order by quarter_start_date

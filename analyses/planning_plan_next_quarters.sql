-- The plan worked backwards for the future quarters with targets (3-2-1=4 and 3-2-1-6-5=4).
select
    fiscal_quarter,
    opportunity_type,
    starting_pipeline,
    closed_won_target,
    ending_pipeline_target,
    round(lost_ratio, 4) as lost_ratio,
    round(value_change_ratio, 4) as value_change_ratio,
    ratio_source,
    required_new_pipeline_simple,
    required_new_pipeline,
    expected_value_change,
    expected_closed_lost
from {{ ref('fct_pipeline_plan') }}
where quarter_status = 'future'
order by quarter_start_date, opportunity_type = 'all', opportunity_type

-- The other half of the chain: no quarter starts with pipeline that the previous
-- quarter did not end with (catches a missing previous row, which a left join from
-- the earlier quarter cannot see).
with waterfall as (
    select * from {{ ref('fct_pipeline_waterfall') }}
),

quarters as (
    select
        quarter_start_date,
        next_quarter_start_date
    from {{ ref('int_pipeline_quarters') }}
),

final as (
    select
        next_quarter.quarter_start_date,
        next_quarter.opportunity_type,
        next_quarter.starting_pipeline,
        coalesce(this_quarter.ending_pipeline, 0) as previous_ending_pipeline
    from waterfall as next_quarter
    left join quarters
        on next_quarter.quarter_start_date = quarters.next_quarter_start_date
    left join waterfall as this_quarter
        on quarters.quarter_start_date = this_quarter.quarter_start_date
        and next_quarter.opportunity_type = this_quarter.opportunity_type
    where next_quarter.starting_pipeline <> coalesce(this_quarter.ending_pipeline, 0)
)

select * from final

-- ending_pipeline(Q) = starting_pipeline(Q + 1), exactly, for every opportunity type,
-- and for every dimension value of the breakdown.
with waterfall as (
    select
        quarter_start_date,
        opportunity_type,
        'all' as dimension_name,
        'all' as dimension_value,
        starting_pipeline,
        ending_pipeline,
        is_complete
    from {{ ref('fct_pipeline_waterfall') }}
    union all
    select
        quarter_start_date,
        opportunity_type,
        dimension_name,
        dimension_value,
        starting_pipeline,
        ending_pipeline,
        is_complete
    from {{ ref('fct_pipeline_waterfall_by_dimension') }}
),

quarters as (
    select
        quarter_start_date,
        next_quarter_start_date
    from {{ ref('int_pipeline_quarters') }}
),

final as (
    select
        this_quarter.quarter_start_date,
        this_quarter.opportunity_type,
        this_quarter.dimension_name,
        this_quarter.dimension_value,
        this_quarter.ending_pipeline,
        coalesce(next_quarter.starting_pipeline, 0) as next_starting_pipeline
    from waterfall as this_quarter
    inner join quarters
        on this_quarter.quarter_start_date = quarters.quarter_start_date
    left join waterfall as next_quarter
        on quarters.next_quarter_start_date = next_quarter.quarter_start_date
        and this_quarter.opportunity_type = next_quarter.opportunity_type
        and this_quarter.dimension_name = next_quarter.dimension_name
        and this_quarter.dimension_value = next_quarter.dimension_value
    where
        this_quarter.is_complete
        and this_quarter.ending_pipeline <> coalesce(next_quarter.starting_pipeline, 0)
)

select * from final

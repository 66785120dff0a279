-- The plan's lost and value-change ratios, one row per target row, from the trailing
-- planning_lookback_quarters (N) complete quarters: for past and current quarters the N
-- quarters before the plan quarter, for future quarters the N quarters before the
-- current one. Quarters before the first reported quarter do not exist and are not
-- counted. A type uses its own ratios when it had pipeline (starting + new > 0) in each
-- of the N quarters; otherwise the all-types ratios over the quarters with all-types
-- pipeline; with none of those, no ratios (ratio_source 'none').
-- lost_ratio = sum(closed lost) / sum(starting + new);
-- value_change_ratio = sum(value change) / sum(starting + new).
{%- set lookback = var('planning_lookback_quarters') | int %}

with targets as (
    select * from {{ ref('int_pipeline_targets') }}
),

calendar as (
    select * from {{ ref('int_planning_calendar') }}
),

waterfall as (
    select * from {{ ref('int_planning_waterfall') }}
),

plan_rows as (
    select
        targets.quarter_start_date,
        targets.opportunity_type,
        calendar.quarter_status,
        calendar.planning_anchor_quarter_index as anchor_quarter_index
    from targets
    inner join calendar
        on targets.quarter_start_date = calendar.quarter_start_date
),

lookback_pools as (
    -- per plan row: the row's own type and `all`, over the lookback quarters
    select
        plan_rows.quarter_start_date,
        plan_rows.opportunity_type,
        waterfall.opportunity_type = 'all' as is_all_types_pool,
        count(case when waterfall.starting_plus_new_pipeline > 0 then 1 end) as quarters_with_pipeline,
        sum(waterfall.closed_lost) as closed_lost,
        sum(waterfall.value_change) as value_change,
        sum(waterfall.starting_plus_new_pipeline) as starting_plus_new_pipeline
    from plan_rows
    inner join waterfall
        on {{ crm_revenue.in_lookback_quarters('waterfall.quarter_index', 'plan_rows.anchor_quarter_index') }}
        and waterfall.opportunity_type in (plan_rows.opportunity_type, 'all')
    group by
        plan_rows.quarter_start_date,
        plan_rows.opportunity_type,
        waterfall.opportunity_type = 'all'
),

pools_side_by_side as (
    select
        plan_rows.quarter_start_date,
        plan_rows.opportunity_type,
        plan_rows.quarter_status,
        plan_rows.anchor_quarter_index,
        type_pool.quarters_with_pipeline as type_quarters_with_pipeline,
        type_pool.closed_lost as type_closed_lost,
        type_pool.value_change as type_value_change,
        type_pool.starting_plus_new_pipeline as type_starting_plus_new_pipeline,
        all_pool.quarters_with_pipeline as all_quarters_with_pipeline,
        all_pool.closed_lost as all_closed_lost,
        all_pool.value_change as all_value_change,
        all_pool.starting_plus_new_pipeline as all_starting_plus_new_pipeline
    from plan_rows
    left join lookback_pools as type_pool
        on plan_rows.quarter_start_date = type_pool.quarter_start_date
        and plan_rows.opportunity_type = type_pool.opportunity_type
        and not type_pool.is_all_types_pool
    left join lookback_pools as all_pool
        on plan_rows.quarter_start_date = all_pool.quarter_start_date
        and plan_rows.opportunity_type = all_pool.opportunity_type
        and all_pool.is_all_types_pool
),

sourced as (
    select
        *,
        case
            when opportunity_type <> 'all' and coalesce(type_quarters_with_pipeline, 0) = {{ lookback }}
                then 'type'
            when coalesce(all_starting_plus_new_pipeline, 0) > 0 then 'all_types'
            else 'none'
        end as ratio_source
    from pools_side_by_side
),

chosen as (
    select
        -- keys
        quarter_start_date,
        opportunity_type,
        -- ratio window
        quarter_status,
        ratio_source,
        case ratio_source
            when 'type' then type_quarters_with_pipeline
            when 'all_types' then all_quarters_with_pipeline
            else 0
        end as ratio_quarters,
        -- the pooled sums the ratios divide (corporate currency)
        case ratio_source
            when 'type' then type_closed_lost
            when 'all_types' then all_closed_lost
        end as ratio_closed_lost,
        case ratio_source
            when 'type' then type_value_change
            when 'all_types' then all_value_change
        end as ratio_value_change,
        case ratio_source
            when 'type' then type_starting_plus_new_pipeline
            when 'all_types' then all_starting_plus_new_pipeline
        end as ratio_starting_plus_new_pipeline
    from sourced
),

final as (
    select
        *,
        -- ratios
        {{ crm_revenue.precise_ratio('ratio_closed_lost', 'ratio_starting_plus_new_pipeline') }} as lost_ratio,
        {{ crm_revenue.precise_ratio('ratio_value_change', 'ratio_starting_plus_new_pipeline') }}
            as value_change_ratio
    from chosen
)

select * from final

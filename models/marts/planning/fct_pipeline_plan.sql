-- The plan worked backwards, one row per target row (fiscal quarter x opportunity type
-- or `all`). Known: 1 starting pipeline (the waterfall's for past and current quarters;
-- for future ones the previous quarter's ending_pipeline_target), 2 the won target and
-- 3 the ending target. Planned: 4 new pipeline, 5 value change and 6 lost, from the
-- trailing ratios: new = (end + won) / (1 + value_change_ratio - lost_ratio) - start,
-- clamped at 0. Past and current quarters carry their actuals and attainment.
with targets as (
    select * from {{ ref('int_pipeline_targets') }}
),

calendar as (
    select * from {{ ref('int_planning_calendar') }}
),

ratios as (
    select * from {{ ref('int_pipeline_plan_ratios') }}
),

waterfall as (
    select * from {{ ref('int_planning_waterfall') }}
),

targets_in_calendar as (
    select
        targets.*,
        calendar.fiscal_quarter as calendar_fiscal_quarter,
        calendar.quarter_index,
        calendar.quarter_status
    from targets
    inner join calendar
        on targets.quarter_start_date = calendar.quarter_start_date
),

known_elements as (
    select
        targets_in_calendar.*,
        case
            when targets_in_calendar.quarter_status = 'future' then previous_targets.ending_pipeline_target
            else actuals.starting_pipeline
        end as starting_pipeline,
        case
            when targets_in_calendar.quarter_status <> 'future' and actuals.starting_pipeline is not null
                then 'actual'
            when targets_in_calendar.quarter_status = 'future' and previous_targets.ending_pipeline_target is not null
                then 'previous_ending_target'
            else 'none'
        end as starting_pipeline_source,
        actuals.new_pipeline as actual_new_pipeline,
        actuals.closed_won as actual_closed_won,
        actuals.ending_pipeline as actual_ending_pipeline
    from targets_in_calendar
    left join targets_in_calendar as previous_targets
        on targets_in_calendar.quarter_index - 1 = previous_targets.quarter_index
        and targets_in_calendar.opportunity_type = previous_targets.opportunity_type
    left join waterfall as actuals
        on targets_in_calendar.quarter_start_date = actuals.quarter_start_date
        and targets_in_calendar.opportunity_type = actuals.opportunity_type
        and targets_in_calendar.quarter_status <> 'future'
),

solved as (
    select
        known_elements.*,
        ratios.lost_ratio,
        ratios.value_change_ratio,
        ratios.ratio_quarters,
        ratios.ratio_source,
        known_elements.ending_pipeline_target - known_elements.starting_pipeline
        + known_elements.closed_won_target as unclamped_required_new_pipeline_simple,
        {{ crm_revenue.required_new_pipeline(
            'known_elements.ending_pipeline_target', 'known_elements.closed_won_target',
            'known_elements.starting_pipeline', 'ratios.value_change_ratio', 'ratios.lost_ratio') }}
            as unclamped_required_new_pipeline,
        coalesce(1 + ratios.value_change_ratio - ratios.lost_ratio <= 0, false) as has_invalid_denominator
    from known_elements
    inner join ratios
        on known_elements.quarter_start_date = ratios.quarter_start_date
        and known_elements.opportunity_type = ratios.opportunity_type
),

clamped as (
    select
        *,
        case
            when unclamped_required_new_pipeline_simple < 0 then cast(0 as decimal(38, 6))
            else unclamped_required_new_pipeline_simple
        end as required_new_pipeline_simple,
        case
            when unclamped_required_new_pipeline < 0 then cast(0 as decimal(38, 6))
            else unclamped_required_new_pipeline
        end as required_new_pipeline
    from solved
),

expected as (
    select
        *,
        cast(lost_ratio * (starting_pipeline + required_new_pipeline) as decimal(38, 6)) as expected_closed_lost,
        cast(value_change_ratio * (starting_pipeline + required_new_pipeline) as decimal(38, 6))
            as expected_value_change
    from clamped
),

final as (
    select
        -- keys
        quarter_start_date,
        calendar_fiscal_quarter as fiscal_quarter,
        opportunity_type,
        quarter_status,
        -- known elements (corporate currency): 1 start, 2 won, 3 end
        starting_pipeline,
        starting_pipeline_source,
        closed_won_target,
        ending_pipeline_target,
        -- ratios from the trailing complete quarters
        lost_ratio,
        value_change_ratio,
        ratio_quarters,
        ratio_source,
        -- planned elements: 4 new (3-2-1=4 and 3-2-1-6-5=4), 5 value change, 6 lost
        required_new_pipeline_simple,
        required_new_pipeline,
        expected_value_change,
        expected_closed_lost,
        starting_pipeline + required_new_pipeline + expected_value_change
        - closed_won_target - expected_closed_lost as planned_ending_pipeline,
        -- flags
        coalesce(unclamped_required_new_pipeline <= 0, false) as is_covered_by_starting_pipeline,
        has_invalid_denominator,
        case
            when closed_won_target is null or ending_pipeline_target is null then 'missing_target'
            when starting_pipeline is null then 'no_starting_pipeline'
            when ratio_source = 'none' then 'no_history'
            when has_invalid_denominator then 'invalid_denominator'
        end as required_new_pipeline_null_reason,
        -- actuals and attainment (past and current quarters; current = to date)
        actual_new_pipeline,
        actual_closed_won,
        actual_ending_pipeline,
        {{ crm_revenue.precise_ratio('actual_closed_won', 'closed_won_target') }} as won_attainment,
        {{ crm_revenue.precise_ratio('actual_new_pipeline', 'required_new_pipeline') }} as new_pipeline_attainment,
        case
            when quarter_status <> 'future'
                then {{ crm_revenue.precise_ratio('starting_pipeline', 'closed_won_target') }}
        end as pipeline_coverage
    from expected
)

select * from final

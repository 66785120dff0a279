-- Open pipeline at as_of_date, one row per open deal (current stage an open pipeline
-- stage, not deleted): days since created, since qualified and in the current stage
-- (whole UTC days up to the end of as_of_date, as the stage history counts them), that
-- stage's median and 75th-percentile days for the deal's type (completed visits of the
-- stage by non-deleted deals of that type; all types when the type has none), the
-- stall flag (days in the current stage > the p75) and the past-due flag.
with opportunities as (
    select * from {{ ref('fct_opportunities') }}
    where status = 'open' and stage_group = 'pipeline'
),

visits as (
    select * from {{ ref('fct_opportunity_stage_history') }}
    where not is_deleted_opportunity
),

current_visits as (
    select
        opportunity_id,
        entered_at,
        days_in_stage
    from visits
    where is_current_visit
),

completed_visits as (
    select
        opportunity_type,
        canonical_stage,
        days_in_stage
    from visits
    where not is_current_visit and days_in_stage is not null
),

stage_days_by_type as (
    select
        opportunity_type,
        canonical_stage,
        count(*) as completed_visits,
        {{ crm_revenue.percentile_continuous('days_in_stage', 0.5) }} as median_days,
        {{ crm_revenue.percentile_continuous('days_in_stage', 0.75) }} as p75_days
    from completed_visits
    group by opportunity_type, canonical_stage
),

stage_days_all_types as (
    select
        canonical_stage,
        count(*) as completed_visits,
        {{ crm_revenue.percentile_continuous('days_in_stage', 0.5) }} as median_days,
        {{ crm_revenue.percentile_continuous('days_in_stage', 0.75) }} as p75_days
    from completed_visits
    group by canonical_stage
),

aged as (
    select
        opportunities.*,
        current_visits.entered_at as current_stage_entered_at,
        current_visits.days_in_stage as days_in_current_stage,
        case
            when stage_days_by_type.completed_visits > 0 then 'type'
            when stage_days_all_types.completed_visits > 0 then 'all_types'
            else 'none'
        end as stage_days_basis,
        coalesce(stage_days_by_type.completed_visits, stage_days_all_types.completed_visits, 0)
            as stage_completed_visits,
        coalesce(stage_days_by_type.median_days, stage_days_all_types.median_days) as stage_median_days,
        coalesce(stage_days_by_type.p75_days, stage_days_all_types.p75_days) as stage_p75_days
    from opportunities
    left join current_visits
        on opportunities.opportunity_id = current_visits.opportunity_id
    left join stage_days_by_type
        on opportunities.opportunity_type = stage_days_by_type.opportunity_type
        and opportunities.canonical_stage = stage_days_by_type.canonical_stage
    left join stage_days_all_types
        on opportunities.canonical_stage = stage_days_all_types.canonical_stage
),

final as (
    select
        -- ids
        opportunity_id,
        account_id,
        owner_key,
        opportunity_name,
        -- current state
        opportunity_type,
        canonical_stage,
        stage_name,
        amount_corporate,
        close_date,
        -- dates
        created_at,
        qualified_at,
        current_stage_entered_at,
        -- age in whole days up to the end of as_of_date
        {{ dbt.datediff('created_at', crm_revenue.as_of_cutoff(), 'day') }} as days_since_created,
        {{ dbt.datediff('qualified_at', crm_revenue.as_of_cutoff(), 'day') }} as days_since_qualified,
        days_in_current_stage,
        -- the stage's velocity for the type
        stage_median_days,
        stage_p75_days,
        stage_days_basis,
        stage_completed_visits,
        -- flags
        coalesce(days_in_current_stage > stage_p75_days, false) as is_stalled,
        coalesce(close_date < {{ crm_revenue.as_of_date() }}, false) as is_past_due
    from aged
)

select * from final

-- The historical forecast's rates: for every forecast instant's quarter A (the current
-- quarter, and every complete past quarter for the backtest), opportunity type (and
-- `all`) and open stage, the stage-to-won conversion rate by amount of the cohorts
-- matured before A: sum(converted amount) / sum(entered amount) of fct_stage_conversion's
-- from_stage -> closed_won rows whose cohort quarter is one of the
-- planning_lookback_quarters (N) quarters A - m - N + 1 ... A - m, where m is
-- maturing_cohort_quarters (the cohorts fct_stage_conversion would not call maturing
-- as of A). Outcomes are those known at as_of_date.

with conversion as (
    select * from {{ ref('fct_stage_conversion') }}
    where to_stage = 'closed_won'
),

calendar as (
    select * from {{ ref('int_planning_calendar') }}
),

anchors as (
    select distinct anchor_quarter_index from {{ ref('int_bookings_forecast_deals') }}
),

cohorts as (
    select
        conversion.opportunity_type,
        conversion.from_stage,
        calendar.quarter_index as cohort_quarter_index,
        conversion.entered_count,
        conversion.converted_count,
        conversion.entered_amount_corporate,
        conversion.converted_amount_corporate
    from conversion
    inner join calendar
        on conversion.cohort_quarter_start_date = calendar.quarter_start_date
),

cohorts_with_all_types as (
    select * from cohorts
    union all
    select
        'all' as opportunity_type,
        from_stage,
        cohort_quarter_index,
        entered_count,
        converted_count,
        entered_amount_corporate,
        converted_amount_corporate
    from cohorts
),

pooled as (
    select
        anchors.anchor_quarter_index,
        cohorts_with_all_types.opportunity_type,
        cohorts_with_all_types.from_stage as canonical_stage,
        count(distinct cohorts_with_all_types.cohort_quarter_index) as rate_cohort_quarters,
        sum(cohorts_with_all_types.entered_count) as entered_count,
        sum(cohorts_with_all_types.converted_count) as converted_count,
        sum(cohorts_with_all_types.entered_amount_corporate) as entered_amount_corporate,
        sum(cohorts_with_all_types.converted_amount_corporate) as converted_amount_corporate
    from anchors
    inner join cohorts_with_all_types
        on {{ crm_revenue.in_matured_cohort_quarters(
            'cohorts_with_all_types.cohort_quarter_index', 'anchors.anchor_quarter_index') }}
    group by
        anchors.anchor_quarter_index,
        cohorts_with_all_types.opportunity_type,
        cohorts_with_all_types.from_stage
),

final as (
    select
        *,
        {{ crm_revenue.precise_ratio('converted_amount_corporate', 'entered_amount_corporate') }}
            as amount_won_rate
    from pooled
)

select * from final

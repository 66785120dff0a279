-- The identity run backwards: for every complete past quarter and type (and `all`),
-- the plan formula fed the quarter's actual start, end and won, with lost and
-- value-change ratios from that same quarter alone, reproduces the actual new
-- pipeline within the 6-decimal rounding. Quarters without pipeline (starting + new
-- = 0) or whose own denominator is not positive (nothing ended and nothing was won)
-- have no ratios to invert and are left out.
with waterfall as (
    select * from {{ ref('int_planning_waterfall') }}
    where is_complete and quarter_status = 'past'
),

own_ratios as (
    select
        *,
        {{ crm_revenue.precise_ratio('closed_lost', 'starting_plus_new_pipeline') }} as lost_ratio,
        {{ crm_revenue.precise_ratio('value_change', 'starting_plus_new_pipeline') }} as value_change_ratio
    from waterfall
    where starting_plus_new_pipeline > 0
),

solved as (
    select
        quarter_start_date,
        opportunity_type,
        new_pipeline,
        {{ crm_revenue.required_new_pipeline(
            'ending_pipeline', 'closed_won', 'starting_pipeline', 'value_change_ratio', 'lost_ratio') }}
            as solved_new_pipeline
    from own_ratios
    where 1 + value_change_ratio - lost_ratio > 0
),

final as (
    select
        *,
        solved_new_pipeline - new_pipeline as difference
    from solved
    where
        solved_new_pipeline is null
        or abs(solved_new_pipeline - new_pipeline) > 0.000001
)

select * from final

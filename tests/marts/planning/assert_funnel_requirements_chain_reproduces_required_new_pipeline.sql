-- The requirements chain: every step's required count times the new pipeline one unit
-- of it turns into (its rate times every later rate times the new pipeline per qualified
-- opportunity) reproduces the plan's required new pipeline within the rounding up: at
-- least the requirement, and one unit fewer would fall short (a cent of tolerance for
-- the decimal rounding of the per-unit amount). Also checks the rates chain step to
-- step: a step's per-unit amount = its rate x the next step's.
with requirements as (
    select * from {{ ref('fct_funnel_requirements') }}
    where required_count is not null
),

next_steps as (
    select
        requirements.*,
        lead(requirements.new_pipeline_per_unit) over (
            partition by requirements.quarter_start_date, requirements.opportunity_type order by requirements.step_order
        ) as next_new_pipeline_per_unit,
        lead(requirements.required_count_unrounded) over (
            partition by requirements.quarter_start_date, requirements.opportunity_type order by requirements.step_order
        ) as next_required_count_unrounded
    from requirements
),

final as (
    select *
    from next_steps
    where
        required_count * new_pipeline_per_unit < required_new_pipeline - 0.01
        or (required_count - 1) * new_pipeline_per_unit >= required_new_pipeline + 0.01
        or (
            next_new_pipeline_per_unit is not null
            and abs(conversion_rate_used * next_new_pipeline_per_unit - new_pipeline_per_unit) > 0.000001
        )
)

select * from final

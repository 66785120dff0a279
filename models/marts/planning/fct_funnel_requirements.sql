-- The funnel reverse-engineered: per plan row with a required new pipeline (fiscal
-- quarter x type) and funnel step, how many are required and by when. Qualified
-- opportunities = required new pipeline / the trailing new pipeline per newly qualified
-- opportunity; each earlier step = the next step's requirement / its conversion rate to
-- that step (unrounded along the chain, required_count rounded up). Lead steps (lead,
-- MQL, SAL, converted lead) only for types with lead history; the others stop at their
-- first canonical stage. A step is due in the quarter containing the plan quarter's first
-- day minus the median days from it to qualification; leads and MQLs are split by the
-- trailing marketing-sourced share of new pipeline.
with plans as (
    select * from {{ ref('fct_pipeline_plan') }}
    where required_new_pipeline is not null
),

calendar as (
    select * from {{ ref('int_planning_calendar') }}
),

step_rates as (
    select * from {{ ref('int_funnel_step_rates') }}
),

plan_steps as (
    select
        plans.quarter_start_date,
        plans.fiscal_quarter,
        plans.opportunity_type,
        plans.quarter_status,
        plans.required_new_pipeline,
        -- every step_rates column but the join key (a second opportunity_type is ambiguous on Spark)
        step_rates.anchor_quarter_index,
        step_rates.funnel_step,
        step_rates.step_order,
        step_rates.is_lead_step,
        step_rates.conversion_rate,
        step_rates.new_pipeline_per_opportunity,
        step_rates.rate_basis,
        step_rates.rate_quarters,
        step_rates.median_days_to_next_step,
        step_rates.marketing_sourced_share,
        step_rates.has_lead_history
    from plans
    inner join calendar
        on plans.quarter_start_date = calendar.quarter_start_date
    inner join step_rates
        on plans.opportunity_type = step_rates.opportunity_type
        and calendar.planning_anchor_quarter_index = step_rates.anchor_quarter_index
    where step_rates.has_lead_history or not step_rates.is_lead_step
),

chained as (
    -- each step with every step from it to qualified: the new pipeline one unit of the
    -- step turns into (the product of the rates times the pipeline per opportunity) and
    -- the median days from the step to qualification
    select
        this_step.quarter_start_date,
        this_step.opportunity_type,
        this_step.funnel_step,
        case
            when
                count(case
                    when
                        later_steps.funnel_step <> 'qualified'
                        and coalesce(later_steps.conversion_rate, 0) <= 0 then 1
                end) = 0
                then
                    max(later_steps.new_pipeline_per_opportunity)
                    * coalesce(exp(sum(ln(cast(case
                        when later_steps.funnel_step <> 'qualified'
                            then later_steps.conversion_rate
                    end as double)))), 1)
        end as new_pipeline_per_unit,
        coalesce(sum(case
            when later_steps.funnel_step <> 'qualified'
                then later_steps.median_days_to_next_step
        end), 0) as days_to_qualified
    from plan_steps as this_step
    inner join plan_steps as later_steps
        on this_step.quarter_start_date = later_steps.quarter_start_date
        and this_step.opportunity_type = later_steps.opportunity_type
        and this_step.step_order <= later_steps.step_order
    group by this_step.quarter_start_date, this_step.opportunity_type, this_step.funnel_step
),

required as (
    select
        plan_steps.*,
        cast(chained.new_pipeline_per_unit as decimal(38, 9)) as new_pipeline_per_unit,
        chained.days_to_qualified,
        {{ crm_revenue.precise_ratio('plan_steps.required_new_pipeline', 'cast(chained.new_pipeline_per_unit as decimal(38, 9))') }}
            as required_count_unrounded,
        {{ crm_revenue.fiscal_quarter_start(dbt.dateadd(
            'day', '-1 * cast(ceil(chained.days_to_qualified) as integer)', 'plan_steps.quarter_start_date')) }}
            as due_quarter_start_date
    from plan_steps
    inner join chained
        on plan_steps.quarter_start_date = chained.quarter_start_date
        and plan_steps.opportunity_type = chained.opportunity_type
        and plan_steps.funnel_step = chained.funnel_step
),

final as (
    select
        -- keys
        required.quarter_start_date,
        required.fiscal_quarter,
        required.opportunity_type,
        required.funnel_step,
        required.step_order,
        required.quarter_status,
        -- the requirement
        required.required_new_pipeline,
        cast(ceil(required.required_count_unrounded) as bigint) as required_count,
        required.required_count_unrounded,
        required.new_pipeline_per_unit,
        -- the rate used (to the next step; pipeline per opportunity for qualified)
        coalesce(required.conversion_rate, required.new_pipeline_per_opportunity) as conversion_rate_used,
        required.rate_basis,
        required.rate_quarters,
        -- timing
        required.median_days_to_next_step,
        required.days_to_qualified,
        required.due_quarter_start_date,
        due_quarters.fiscal_quarter as due_fiscal_quarter,
        -- marketing-sourced split (leads and MQLs)
        case when required.funnel_step in ('lead', 'mql') then required.marketing_sourced_share end
            as marketing_sourced_share,
        case
            when required.funnel_step in ('lead', 'mql')
                then cast(ceil(ceil(required.required_count_unrounded) * required.marketing_sourced_share) as bigint)
        end as marketing_sourced_required_count,
        case
            when required.funnel_step in ('lead', 'mql')
                then
                    cast(ceil(required.required_count_unrounded) as bigint)
                    - cast(ceil(ceil(required.required_count_unrounded) * required.marketing_sourced_share) as bigint)
        end as other_sourced_required_count
    from required
    left join calendar as due_quarters
        on required.due_quarter_start_date = due_quarters.quarter_start_date
)

select * from final

-- The rates the funnel requirements walk backwards with, per anchor quarter A (the plan
-- quarter for past and current plans, the current quarter for future ones), opportunity
-- type (and `all`) and funnel step, each with the median days to the next step:
--   qualified          the trailing average new pipeline per newly qualified opportunity
--                      (waterfall new_pipeline / new_opportunities over the
--                      planning_lookback_quarters (N) quarters A - N ... A - 1; all types
--                      when the type had no new opportunities);
--   earlier stages     count conversion to the next stage from fct_stage_conversion, cohorts
--                      matured before A (cohort quarters A - m - N + 1 ... A - m, m =
--                      maturing_cohort_quarters; all types when the type has no entries);
--                      median days = converted-weighted mean of the cohorts' medians;
--   lead steps         lead -> MQL -> SAL -> converted lead -> opportunity, from
--                      fct_lead_funnel_all_sources months in those cohort quarters (the
--                      same for every type), median days from int_lead_funnel_steps.
-- Plus each type's marketing-sourced share of new pipeline over A - N ... A - 1 and
-- whether the type has lead history (an opportunity created from a converted lead).
{%- set pre_qualified_stages = [] %}
{%- for stage in crm_revenue.canonical_stages() if stage.stage_group == 'pre_pipeline' %}
{%- do pre_qualified_stages.append(stage.name) %}
{%- endfor %}
{%- set lead_steps = [
    {'step': 'lead', 'entered': 'leads', 'converted': 'leads_reaching_mql', 'from_at': 'created_at', 'to_at': 'mql_at'},
    {'step': 'mql', 'entered': 'mqls', 'converted': 'mqls_reaching_sal', 'from_at': 'mql_at', 'to_at': 'sal_at'},
    {'step': 'sal', 'entered': 'sals', 'converted': 'sals_converted', 'from_at': 'sal_at', 'to_at': 'converted_at'},
    {'step': 'converted_lead', 'entered': 'converted_leads', 'converted': 'opportunities',
     'from_at': 'converted_at', 'to_at': 'opportunity_created_at'},
] %}

with targets as (
    select * from {{ ref('int_pipeline_targets') }}
),

calendar as (
    select * from {{ ref('int_planning_calendar') }}
),

waterfall as (
    select * from {{ ref('int_planning_waterfall') }}
),

stage_conversion as (
    select * from {{ ref('fct_stage_conversion') }}
    where is_next_stage
),

lead_months as (
    select * from {{ ref('fct_lead_funnel_all_sources') }}
),

lead_steps as (
    select * from {{ ref('int_lead_funnel_steps') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

movements as (
    select * from {{ ref('fct_pipeline_movements') }}
    where element = 'new_pipeline'
),

anchors as (
    select distinct
        targets.opportunity_type,
        calendar.planning_anchor_quarter_index as anchor_quarter_index
    from targets
    inner join calendar
        on targets.quarter_start_date = calendar.quarter_start_date
),

-- qualified: new pipeline per newly qualified opportunity
new_pipeline_pools as (
    select
        anchors.anchor_quarter_index,
        anchors.opportunity_type as plan_type,
        waterfall.opportunity_type = 'all' as is_all_types_pool,
        count(distinct waterfall.quarter_index) as pool_quarters,
        sum(waterfall.new_pipeline) as new_pipeline,
        sum(waterfall.new_opportunities) as new_opportunities
    from anchors
    inner join waterfall
        on {{ crm_revenue.in_lookback_quarters('waterfall.quarter_index', 'anchors.anchor_quarter_index') }}
        and waterfall.opportunity_type in (anchors.opportunity_type, 'all')
    group by anchors.anchor_quarter_index, anchors.opportunity_type, waterfall.opportunity_type = 'all'
),

qualified_step as (
    select
        anchors.anchor_quarter_index,
        anchors.opportunity_type,
        'qualified' as funnel_step,
        {{ lead_steps | length + pre_qualified_stages | length + 1 }} as step_order,
        cast(null as decimal(38, 15)) as conversion_rate,
        case
            when anchors.opportunity_type <> 'all' and type_pool.new_opportunities > 0
                then {{ crm_revenue.precise_ratio('type_pool.new_pipeline', 'type_pool.new_opportunities') }}
            else {{ crm_revenue.precise_ratio('all_pool.new_pipeline', 'all_pool.new_opportunities') }}
        end as new_pipeline_per_opportunity,
        case
            when anchors.opportunity_type <> 'all' and type_pool.new_opportunities > 0 then 'type_trailing_quarters'
            when all_pool.new_opportunities > 0 then 'all_types_trailing_quarters'
            else 'none'
        end as rate_basis,
        case
            when anchors.opportunity_type <> 'all' and type_pool.new_opportunities > 0 then type_pool.pool_quarters
            when all_pool.new_opportunities > 0 then all_pool.pool_quarters
            else 0
        end as rate_quarters,
        cast(null as double) as median_days_to_next_step
    from anchors
    left join new_pipeline_pools as type_pool
        on anchors.anchor_quarter_index = type_pool.anchor_quarter_index
        and anchors.opportunity_type = type_pool.plan_type
        and not type_pool.is_all_types_pool
    left join new_pipeline_pools as all_pool
        on anchors.anchor_quarter_index = all_pool.anchor_quarter_index
        and anchors.opportunity_type = all_pool.plan_type
        and all_pool.is_all_types_pool
),

-- earlier canonical stages: count conversion to the next stage, matured cohorts
stage_cohorts as (
    select
        stage_conversion.opportunity_type,
        stage_conversion.from_stage,
        calendar.quarter_index as cohort_quarter_index,
        stage_conversion.entered_count,
        stage_conversion.converted_count,
        stage_conversion.median_days_to_convert
    from stage_conversion
    inner join calendar
        on stage_conversion.cohort_quarter_start_date = calendar.quarter_start_date
    where stage_conversion.from_stage in ('{{ pre_qualified_stages | join("', '") }}')
),

stage_cohorts_with_all_types as (
    select * from stage_cohorts
    union all
    select
        'all' as opportunity_type,
        from_stage,
        cohort_quarter_index,
        entered_count,
        converted_count,
        median_days_to_convert
    from stage_cohorts
),

stage_pools as (
    select
        anchors.anchor_quarter_index,
        anchors.opportunity_type as plan_type,
        cohorts.opportunity_type = 'all' as is_all_types_pool,
        cohorts.from_stage,
        count(distinct cohorts.cohort_quarter_index) as pool_quarters,
        sum(cohorts.entered_count) as entered_count,
        sum(cohorts.converted_count) as converted_count,
        {{ crm_revenue.precise_ratio(
            'sum(cohorts.median_days_to_convert * cohorts.converted_count)',
            'sum(case when cohorts.median_days_to_convert is not null then cohorts.converted_count end)') }}
            as median_days_to_next_step
    from anchors
    inner join stage_cohorts_with_all_types as cohorts
        on {{ crm_revenue.in_matured_cohort_quarters('cohorts.cohort_quarter_index', 'anchors.anchor_quarter_index') }}
        and cohorts.opportunity_type in (anchors.opportunity_type, 'all')
    group by
        anchors.anchor_quarter_index, anchors.opportunity_type,
        cohorts.opportunity_type = 'all', cohorts.from_stage
),

stage_orders as (
    -- the pre-qualified stages, numbered after the lead steps
    {%- for stage in pre_qualified_stages %}
    select
        '{{ stage }}' as from_stage,
        {{ lead_steps | length + loop.index }} as step_order
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

stage_steps as (
    select
        anchors.anchor_quarter_index,
        anchors.opportunity_type,
        stage_orders.from_stage as funnel_step,
        stage_orders.step_order,
        case
            when anchors.opportunity_type <> 'all' and type_pool.entered_count > 0
                then {{ crm_revenue.precise_ratio('type_pool.converted_count', 'type_pool.entered_count') }}
            else {{ crm_revenue.precise_ratio('all_pool.converted_count', 'all_pool.entered_count') }}
        end as conversion_rate,
        cast(null as decimal(38, 15)) as new_pipeline_per_opportunity,
        case
            when anchors.opportunity_type <> 'all' and type_pool.entered_count > 0 then 'type_matured_cohorts'
            when all_pool.entered_count > 0 then 'all_types_matured_cohorts'
            else 'none'
        end as rate_basis,
        case
            when anchors.opportunity_type <> 'all' and type_pool.entered_count > 0 then type_pool.pool_quarters
            when all_pool.entered_count > 0 then all_pool.pool_quarters
            else 0
        end as rate_quarters,
        cast(case
            when anchors.opportunity_type <> 'all' and type_pool.entered_count > 0
                then type_pool.median_days_to_next_step
            else all_pool.median_days_to_next_step
        end as double) as median_days_to_next_step
    from anchors
    cross join stage_orders
    left join stage_pools as type_pool
        on anchors.anchor_quarter_index = type_pool.anchor_quarter_index
        and anchors.opportunity_type = type_pool.plan_type
        and stage_orders.from_stage = type_pool.from_stage
        and not type_pool.is_all_types_pool
    left join stage_pools as all_pool
        on anchors.anchor_quarter_index = all_pool.anchor_quarter_index
        and anchors.opportunity_type = all_pool.plan_type
        and stage_orders.from_stage = all_pool.from_stage
        and all_pool.is_all_types_pool
),

-- lead steps: all-sources lead funnel months in the matured cohort quarters
lead_months_indexed as (
    select
        lead_months.*,
        calendar.quarter_index as cohort_quarter_index
    from lead_months
    inner join calendar
        on lead_months.fiscal_quarter = calendar.fiscal_quarter
),

opportunity_creations as (
    select
        opportunity_id,
        created_at as opportunity_created_at
    from opportunities
),

lead_step_days as (
    -- days from each lead's step to its next step, by the from-step's quarter
    {%- for step in lead_steps %}
    select
        '{{ step.step }}' as funnel_step,
        calendar.quarter_index as cohort_quarter_index,
        {{ dbt.datediff('lead_steps.' ~ step.from_at, step.to_at, 'day') }} as days_to_next_step
    from lead_steps
    left join opportunity_creations as created
        on lead_steps.opportunity_id = created.opportunity_id
    inner join calendar
        on {{ crm_revenue.fiscal_quarter_start('lead_steps.' ~ step.from_at) }} = calendar.quarter_start_date
    where lead_steps.{{ step.from_at }} is not null and {{ step.to_at }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

lead_pools as (
    select
        anchors.anchor_quarter_index,
        count(distinct months.cohort_quarter_index) as pool_quarters,
        {%- for step in lead_steps %}
        sum(months.{{ step.entered }}) as {{ step.step }}_entered,
        sum(months.{{ step.converted }}) as {{ step.step }}_converted{% if not loop.last %},{% endif %}
        {%- endfor %}
    from (select distinct anchor_quarter_index from anchors) as anchors
    inner join lead_months_indexed as months
        on {{ crm_revenue.in_matured_cohort_quarters('months.cohort_quarter_index', 'anchors.anchor_quarter_index') }}
    group by anchors.anchor_quarter_index
),

anchor_quarters as (
    select distinct anchor_quarter_index from anchors
),

lead_day_pools as (
    select
        anchors.anchor_quarter_index,
        lead_step_days.funnel_step,
        {{ crm_revenue.percentile_continuous('lead_step_days.days_to_next_step', 0.5) }}
            as median_days_to_next_step
    from anchor_quarters as anchors
    inner join lead_step_days
        on {{ crm_revenue.in_matured_cohort_quarters(
            'lead_step_days.cohort_quarter_index', 'anchors.anchor_quarter_index'
        ) }}
    group by anchors.anchor_quarter_index, lead_step_days.funnel_step
),

lead_funnel_steps as (
    {%- for step in lead_steps %}
    select
        anchors.anchor_quarter_index,
        anchors.opportunity_type,
        '{{ step.step }}' as funnel_step,
        {{ loop.index }} as step_order,
        {{ crm_revenue.precise_ratio(
            'lead_pools.' ~ step.step ~ '_converted', 'lead_pools.' ~ step.step ~ '_entered'
        ) }} as conversion_rate,
        cast(null as decimal(38, 15)) as new_pipeline_per_opportunity,
        case
            when lead_pools.{{ step.step }}_entered > 0 then 'all_sources_lead_cohorts' else 'none'
        end as rate_basis,
        coalesce(lead_pools.pool_quarters, 0) as rate_quarters,
        cast(lead_day_pools.median_days_to_next_step as double) as median_days_to_next_step
    from anchors
    left join lead_pools
        on anchors.anchor_quarter_index = lead_pools.anchor_quarter_index
    left join lead_day_pools
        on anchors.anchor_quarter_index = lead_day_pools.anchor_quarter_index
        and lead_day_pools.funnel_step = '{{ step.step }}'
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- marketing-sourced share of new pipeline and lead history, per type
marketing_shares as (
    select
        anchors.anchor_quarter_index,
        anchors.opportunity_type,
        {{ crm_revenue.precise_ratio(
            'sum(case when opportunities.is_marketing_sourced then movements.amount_corporate else 0 end)',
            'sum(movements.amount_corporate)') }} as marketing_sourced_share
    from anchors
    inner join movements
        on anchors.opportunity_type in (movements.opportunity_type, 'all')
    inner join calendar
        on movements.quarter_start_date = calendar.quarter_start_date
        and {{ crm_revenue.in_lookback_quarters('calendar.quarter_index', 'anchors.anchor_quarter_index') }}
    inner join opportunities
        on movements.opportunity_id = opportunities.opportunity_id
    group by anchors.anchor_quarter_index, anchors.opportunity_type
),

lead_history as (
    select distinct anchors.opportunity_type
    from anchors
    inner join opportunities
        on anchors.opportunity_type in (opportunities.opportunity_type, 'all')
    where opportunities.converted_lead_key is not null
),

steps as (
    select * from lead_funnel_steps
    union all
    select * from stage_steps
    union all
    select * from qualified_step
),

final as (
    select
        -- keys
        steps.anchor_quarter_index,
        steps.opportunity_type,
        steps.funnel_step,
        steps.step_order,
        steps.step_order <= {{ lead_steps | length }} as is_lead_step,
        -- rate to the next step and its basis
        steps.conversion_rate,
        steps.new_pipeline_per_opportunity,
        steps.rate_basis,
        steps.rate_quarters,
        steps.median_days_to_next_step,
        -- type context
        marketing_shares.marketing_sourced_share,
        lead_history.opportunity_type is not null as has_lead_history
    from steps
    left join marketing_shares
        on steps.anchor_quarter_index = marketing_shares.anchor_quarter_index
        and steps.opportunity_type = marketing_shares.opportunity_type
    left join lead_history
        on steps.opportunity_type = lead_history.opportunity_type
)

select * from final

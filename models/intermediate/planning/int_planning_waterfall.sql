-- The pipeline waterfall as planning reads it: one row per reported quarter and
-- opportunity type, plus opportunity_type `all` (the sum over every type, unknown
-- included), with the quarter's planning index and status. A type that has targets but
-- no opportunities at all gets zero rows (its pipeline is 0, not unknown).
{%- set amounts = ['starting_pipeline', 'new_pipeline', 'value_change', 'closed_won', 'closed_lost',
    'ending_pipeline', 'starting_pipeline_this_quarter'] %}

with waterfall as (
    select * from {{ ref('fct_pipeline_waterfall') }}
),

calendar as (
    select * from {{ ref('int_planning_calendar') }}
),

target_types as (
    select distinct opportunity_type from {{ ref('int_pipeline_targets') }}
    where opportunity_type <> 'all'
),

reported_quarters as (
    select distinct
        quarter_start_date,
        is_complete
    from waterfall
),

types_without_opportunities as (
    select
        reported_quarters.quarter_start_date,
        target_types.opportunity_type,
        reported_quarters.is_complete,
        {%- for column in amounts %}
        cast(0 as decimal(38, 6)) as {{ column }},
        {%- endfor %}
        0 as new_opportunities
    from reported_quarters
    cross join target_types
    where target_types.opportunity_type not in (select waterfall.opportunity_type from waterfall)
),

by_type as (
    select
        quarter_start_date,
        opportunity_type,
        is_complete,
        {%- for column in amounts %}
        {{ column }},
        {%- endfor %}
        new_opportunities
    from waterfall
    union all
    select * from types_without_opportunities
),

all_types as (
    select
        quarter_start_date,
        'all' as opportunity_type,
        min(case when is_complete then 1 else 0 end) = 1 as is_complete,
        {%- for column in amounts %}
        sum({{ column }}) as {{ column }},
        {%- endfor %}
        sum(new_opportunities) as new_opportunities
    from waterfall
    group by quarter_start_date
),

unioned as (
    select * from by_type
    union all
    select * from all_types
),

final as (
    select
        -- keys
        unioned.quarter_start_date,
        unioned.opportunity_type,
        -- quarter
        calendar.fiscal_quarter,
        calendar.quarter_index,
        calendar.quarter_status,
        unioned.is_complete,
        -- waterfall (corporate currency)
        {%- for column in amounts %}
        unioned.{{ column }},
        {%- endfor %}
        unioned.new_opportunities,
        -- the base the plan's ratios divide by
        unioned.starting_pipeline + unioned.new_pipeline as starting_plus_new_pipeline
    from unioned
    inner join calendar
        on unioned.quarter_start_date = calendar.quarter_start_date
)

select * from final

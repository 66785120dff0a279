-- The quarterly six-element pipeline waterfall per opportunity type:
-- starting + new + value_change - closed_won - closed_lost = ending, to the cent,
-- with value_change broken down by cause. A sum of fct_pipeline_movements.
{%- set value_change_parts = ['value_increase', 'value_decrease', 'pulled_in', 'pushed_out',
    'rolled_in', 'slipped', 'reopened', 'removed', 'fx_revaluation'] %}

with movements as (
    select * from {{ ref('fct_pipeline_movements') }}
),

quarters as (
    select * from {{ ref('int_pipeline_quarters') }}
),

opportunity_types as (
    select distinct opportunity_type from {{ ref('stg_crm__opportunities') }}
),

spine as (
    select
        quarters.quarter_start_date,
        quarters.quarter_end_date,
        quarters.fiscal_year,
        quarters.fiscal_quarter,
        quarters.is_complete,
        opportunity_types.opportunity_type
    from quarters
    cross join opportunity_types
),

totals as (
    select
        quarter_start_date,
        opportunity_type,
        {%- for element in ['starting_pipeline', 'new_pipeline', 'value_change', 'closed_won', 'closed_lost', 'ending_pipeline'] %}
        sum(case when element = '{{ element }}' then amount else 0 end) as {{ element }},
        {%- endfor %}
        {%- for part in value_change_parts %}
        sum(case when element = 'value_change' and sub_element = '{{ part }}' then amount else 0 end) as {{ part }},
        {%- endfor %}
        {%- for element in ['starting_pipeline', 'ending_pipeline'] %}
        {%- for part in ['this_quarter', 'later_quarters'] %}
        sum(case when element = '{{ element }}' and sub_element = '{{ part }}' then amount else 0 end)
            as {{ element }}_{{ part }},
        {%- endfor %}
        sum(case when element = '{{ element }}' then weighted_amount else 0 end) as weighted_{{ element }},
        {%- endfor %}
        {%- for element, name in [('starting_pipeline', 'starting'), ('new_pipeline', 'new'), ('closed_won', 'won'), ('closed_lost', 'lost'), ('ending_pipeline', 'ending')] %}
        count(distinct case when element = '{{ element }}' then opportunity_id end) as {{ name }}_opportunities{% if not loop.last %},{% endif %}
        {%- endfor %}
    from movements
    group by quarter_start_date, opportunity_type
),

final as (
    select
        -- keys
        spine.quarter_start_date,
        spine.opportunity_type,
        -- quarter
        spine.quarter_end_date,
        spine.fiscal_year,
        spine.fiscal_quarter,
        spine.is_complete,
        -- the six elements
        {%- for column in ['starting_pipeline', 'new_pipeline', 'value_change', 'closed_won', 'closed_lost', 'ending_pipeline'] + value_change_parts %}
        coalesce(totals.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        -- start and end split by close date: the quarter itself vs the later window quarters
        {%- for column in ['starting_pipeline_this_quarter', 'starting_pipeline_later_quarters', 'ending_pipeline_this_quarter', 'ending_pipeline_later_quarters', 'weighted_starting_pipeline', 'weighted_ending_pipeline'] %}
        coalesce(totals.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        -- opportunity counts
        {%- for column in ['starting_opportunities', 'new_opportunities', 'won_opportunities', 'lost_opportunities', 'ending_opportunities'] %}
        coalesce(totals.{{ column }}, 0) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from spine
    left join totals
        on spine.quarter_start_date = totals.quarter_start_date
        and spine.opportunity_type = totals.opportunity_type
)

select * from final

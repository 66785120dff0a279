-- Grain and identity: _pipeline__models.yml. Only a sum of fct_pipeline_movements (never
-- recomputed here), with zero rows for quarters where nothing moved so the chain
-- ending(Q) = starting(Q + 1) can be checked row by row.
{%- set columns = crm_revenue.waterfall_columns() %}
{%- set amount_columns = columns['elements'] + columns['value_change_parts'] + columns['splits']
    + ['weighted_starting_pipeline', 'weighted_ending_pipeline'] %}

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
        {{ crm_revenue.waterfall_sums() }}
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
        -- amounts (corporate currency)
        {%- for column in amount_columns %}
        coalesce(totals.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        -- opportunity counts
        {%- for column in columns['counts'].values() %}
        coalesce(totals.{{ column }}, 0) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from spine
    left join totals
        on spine.quarter_start_date = totals.quarter_start_date
        and spine.opportunity_type = totals.opportunity_type
)

select * from final

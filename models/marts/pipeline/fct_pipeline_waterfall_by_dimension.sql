-- Grain: _pipeline__models.yml. The same sums as fct_pipeline_waterfall, per dimension
-- value, so each row satisfies the identity on its own.
{%- set columns = crm_revenue.waterfall_columns() %}

with movements as (
    select * from {{ ref('fct_pipeline_movements') }}
),

dimensions as (
    select * from {{ ref('int_opportunity_dimensions_unpivoted') }}
),

quarters as (
    select * from {{ ref('int_pipeline_quarters') }}
),

opportunity_totals as (
    -- the waterfall sums per opportunity first (its counts are 0 or 1), so the five
    -- dimension rows of an opportunity multiply one row, not each of its movements
    select
        quarter_start_date,
        opportunity_type,
        opportunity_id,
        {{ crm_revenue.waterfall_sums() }}
    from movements
    group by quarter_start_date, opportunity_type, opportunity_id
),

totals as (
    select
        opportunity_totals.quarter_start_date,
        opportunity_totals.opportunity_type,
        dimensions.dimension_name,
        dimensions.dimension_value,
        {%- for column in columns['elements'] + columns['value_change_parts'] + columns['splits']
            + ['weighted_starting_pipeline', 'weighted_ending_pipeline'] %}
        sum(opportunity_totals.{{ column }}) as {{ column }},
        {%- endfor %}
        {%- for column in columns['counts'].values() %}
        cast(sum(opportunity_totals.{{ column }}) as bigint) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from opportunity_totals
    inner join dimensions
        on opportunity_totals.opportunity_id = dimensions.opportunity_id
    group by
        opportunity_totals.quarter_start_date,
        opportunity_totals.opportunity_type,
        dimensions.dimension_name,
        dimensions.dimension_value
),

final as (
    select
        totals.quarter_start_date,
        totals.opportunity_type,
        totals.dimension_name,
        totals.dimension_value,
        quarters.fiscal_year,
        quarters.fiscal_quarter,
        quarters.is_complete,
        {%- for column in columns['elements'] + columns['value_change_parts'] + columns['splits'] %}
        totals.{{ column }},
        {%- endfor %}
        totals.weighted_starting_pipeline,
        totals.weighted_ending_pipeline,
        {%- for column in columns['counts'].values() %}
        totals.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from totals
    inner join quarters
        on totals.quarter_start_date = quarters.quarter_start_date
)

select * from final

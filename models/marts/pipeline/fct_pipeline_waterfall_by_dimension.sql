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

dimensioned_movements as (
    select
        movements.*,
        dimensions.dimension_name,
        dimensions.dimension_value
    from movements
    inner join dimensions
        on movements.opportunity_id = dimensions.opportunity_id
),

totals as (
    select
        quarter_start_date,
        opportunity_type,
        dimension_name,
        dimension_value,
        {{ crm_revenue.waterfall_sums() }}
    from dimensioned_movements
    group by quarter_start_date, opportunity_type, dimension_name, dimension_value
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

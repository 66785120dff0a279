-- Grain and sign conventions: _pipeline__models.yml. Every waterfall number is a sum of
-- these rows, so any bar drills down to opportunities.
with event_movements as (
    select * from {{ ref('int_pipeline_events_classified') }}
),

boundary_movements as (
    select * from {{ ref('int_pipeline_quarter_boundaries') }}
),

quarters as (
    select * from {{ ref('int_pipeline_quarters') }}
),

movements as (
    select
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        element,
        sub_element,
        amount_corporate,
        cast(null as decimal(5, 4)) as stage_probability,
        moved_at,
        state_sequence
    from event_movements
    union all
    select
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        element,
        sub_element,
        amount_corporate,
        stage_probability,
        moved_at,
        cast(null as bigint) as state_sequence
    from boundary_movements
),

final as (
    select
        -- ids
        movements.opportunity_id
        || '|' || cast(movements.quarter_start_date as {{ dbt.type_string() }})
        || '|' || movements.element
        || '|' || movements.sub_element
        || '|' || coalesce(cast(movements.state_sequence as {{ dbt.type_string() }}), 'boundary')
            as movement_id,
        movements.opportunity_id,
        movements.opportunity_type,
        -- quarter
        movements.quarter_start_date,
        quarters.fiscal_quarter,
        -- movement
        movements.element,
        movements.sub_element,
        movements.amount_corporate,
        cast(movements.amount_corporate * movements.stage_probability as {{ crm_revenue.amount_type() }})
            as weighted_amount_corporate,
        movements.moved_at,
        movements.state_sequence
    from movements
    inner join quarters
        on movements.quarter_start_date = quarters.quarter_start_date
)

select * from final

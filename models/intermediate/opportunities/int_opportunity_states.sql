-- THE opportunity timeline: one row per opportunity state, effective from
-- `valid_from` until `valid_to` (the next state's start; null for the last state).
-- States are the opportunity_history rows (ordered by CreatedDate, then Id); the
-- current opportunity record when it has no history, or when its stage, amount or
-- close date differ from the last history row; and a deletion state for deleted
-- opportunities. Only states known by the end of `as_of_date` are kept. Every mart
-- reads this model, so the funnel and the waterfall agree by construction.
with opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

history as (
    select * from {{ ref('stg_crm__opportunity_history') }}
),

stage_mapping as (
    -- order and group come with the canonical stage (canonical_stages macro)
    select
        lower(trim(crm_stage_name)) as stage_key,
        opportunity_type,
        canonical_stage,
        {{ crm_revenue.canonical_stage_attribute('canonical_stage', 'stage_order') }} as stage_order,
        {{ crm_revenue.canonical_stage_attribute('canonical_stage', 'stage_group') }} as stage_group,
        stage_probability
    from {{ crm_revenue.mapping_relation('stage_mapping', var('crm_stage_mapping', none)) }}
),

history_states as (
    select
        opportunity_id,
        created_at as valid_from,
        0 as source_rank,
        opportunity_history_id,
        'history' as state_source,
        stage_name,
        amount,
        close_date,
        probability,
        forecast_category,
        false as is_deleted
    from history
),

last_history_states as (
    select
        opportunity_id,
        valid_from,
        stage_name,
        amount,
        close_date
    from (
        select
            *,
            row_number() over (
                partition by opportunity_id
                order by valid_from desc, opportunity_history_id desc
            ) as recency_rank
        from history_states
    ) as ranked_history
    where recency_rank = 1
),

current_record_states as (
    -- the opportunity record itself, when history lacks it
    select
        opportunities.opportunity_id,
        case
            when last_history_states.opportunity_id is null then opportunities.created_at
            else greatest(
                opportunities.last_modified_at,
                {{ dbt.dateadd('microsecond', 1, 'last_history_states.valid_from') }}
            )
        end as valid_from,
        1 as source_rank,
        cast(null as {{ dbt.type_string() }}) as opportunity_history_id,
        'current_record' as state_source,
        opportunities.stage_name,
        opportunities.amount,
        opportunities.close_date,
        opportunities.probability,
        opportunities.forecast_category,
        false as is_deleted
    from opportunities
    left join last_history_states
        on opportunities.opportunity_id = last_history_states.opportunity_id
    where
        last_history_states.opportunity_id is null
        or opportunities.stage_name is distinct from last_history_states.stage_name
        or opportunities.amount is distinct from last_history_states.amount
        or opportunities.close_date is distinct from last_history_states.close_date
),

recorded_states as (
    select * from history_states
    union all
    select * from current_record_states
),

last_recorded_states as (
    select *
    from (
        select
            *,
            row_number() over (
                partition by opportunity_id
                order by valid_from desc, source_rank desc, opportunity_history_id desc
            ) as recency_rank
        from recorded_states
    ) as ranked_states
    where recency_rank = 1
),

deletion_states as (
    -- a deleted opportunity ends at LastModifiedDate (never before its last state)
    select
        opportunities.opportunity_id,
        greatest(
            opportunities.last_modified_at,
            {{ dbt.dateadd('microsecond', 1, 'last_recorded_states.valid_from') }}
        ) as valid_from,
        2 as source_rank,
        cast(null as {{ dbt.type_string() }}) as opportunity_history_id,
        'deletion' as state_source,
        last_recorded_states.stage_name,
        last_recorded_states.amount,
        last_recorded_states.close_date,
        last_recorded_states.probability,
        last_recorded_states.forecast_category,
        true as is_deleted
    from opportunities
    inner join last_recorded_states
        on opportunities.opportunity_id = last_recorded_states.opportunity_id
    where opportunities.is_deleted
),

all_states as (
    select * from recorded_states
    union all
    select * from deletion_states
),

known_states as (
    select
        *,
        -- the stage mapping key, computed once (joins compare plain columns)
        lower(trim(stage_name)) as stage_key
    from all_states
    where valid_from < {{ crm_revenue.as_of_cutoff() }}
),

mapped_states as (
    select
        known_states.*,
        opportunities.opportunity_type,
        opportunities.currency_iso_code,
        coalesce(typed_mapping.canonical_stage, any_type_mapping.canonical_stage) as canonical_stage,
        coalesce(typed_mapping.stage_order, any_type_mapping.stage_order) as stage_order,
        coalesce(typed_mapping.stage_probability, any_type_mapping.stage_probability)
            as stage_probability,
        coalesce(typed_mapping.stage_group, any_type_mapping.stage_group, 'pre_pipeline') as stage_group,
        coalesce(typed_mapping.canonical_stage, any_type_mapping.canonical_stage) is null
            as is_unmapped_stage
    from known_states
    inner join opportunities
        on known_states.opportunity_id = opportunities.opportunity_id
    left join stage_mapping as typed_mapping
        on known_states.stage_key = typed_mapping.stage_key
        and opportunities.opportunity_type = typed_mapping.opportunity_type
    left join stage_mapping as any_type_mapping
        on known_states.stage_key = any_type_mapping.stage_key
        and any_type_mapping.opportunity_type is null
),

sequenced_states as (
    select
        *,
        row_number() over (
            partition by opportunity_id
            order by valid_from, source_rank, opportunity_history_id
        ) as state_sequence
    from mapped_states
),

final as (
    select
        -- ids
        opportunity_id || '#' || cast(state_sequence as {{ dbt.type_string() }}) as opportunity_state_id,
        opportunity_id,
        state_sequence,
        opportunity_history_id,
        state_source,
        -- validity
        valid_from,
        lead(valid_from) over (partition by opportunity_id order by state_sequence) as valid_to,
        -- state
        opportunity_type,
        stage_name,
        canonical_stage,
        stage_order,
        stage_group,
        amount,
        currency_iso_code,
        close_date,
        probability,
        forecast_category,
        stage_probability,
        -- flags
        is_deleted,
        is_unmapped_stage,
        lead(valid_from) over (partition by opportunity_id order by state_sequence) is null
            as is_current_state
    from sequenced_states
)

select * from final

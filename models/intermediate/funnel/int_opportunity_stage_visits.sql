-- One row per opportunity per stage visit, read from THE opportunity timeline
-- (int_opportunity_states), so the funnel and the waterfall agree. Consecutive states
-- in the same canonical stage (amount or close date edits, CRM stages sharing a
-- canonical stage) form one visit; coming back to a stage later is a new visit.
-- The deletion state is not a visit: it ends the last one (move 'deleted'). States
-- with an unmapped CRM stage form visits of their own (canonical_stage 'unmapped'),
-- so their time is not credited to a neighbouring stage.
with states as (
    select * from {{ ref('int_opportunity_states') }}
),

deletions as (
    select
        opportunity_id,
        min(valid_from) as deleted_at
    from states
    where is_deleted
    group by opportunity_id
),

live_states as (
    select
        opportunity_id,
        opportunity_type,
        state_sequence,
        valid_from,
        coalesce(canonical_stage, 'unmapped') as canonical_stage,
        stage_order,
        stage_group,
        amount,
        currency_iso_code,
        close_date
    from states
    where not is_deleted
),

flagged_states as (
    select
        *,
        (
            canonical_stage is distinct from lag(canonical_stage) over (
                partition by opportunity_id order by state_sequence
            )
        ) as is_visit_start
    from live_states
),

visit_starts as (
    select
        *,
        row_number() over (partition by opportunity_id order by state_sequence) as visit_sequence
    from flagged_states
    where is_visit_start
),

linked_visits as (
    select
        visit_starts.*,
        row_number() over (
            partition by visit_starts.opportunity_id, visit_starts.canonical_stage
            order by visit_starts.visit_sequence
        ) as stage_visit_number,
        lag(visit_starts.canonical_stage) over (partition by visit_starts.opportunity_id order by visit_starts.visit_sequence) as previous_canonical_stage,
        lead(visit_starts.canonical_stage) over (partition by visit_starts.opportunity_id order by visit_starts.visit_sequence) as next_canonical_stage,
        lead(visit_starts.stage_order) over (partition by visit_starts.opportunity_id order by visit_starts.visit_sequence) as next_stage_order,
        lead(visit_starts.stage_group) over (partition by visit_starts.opportunity_id order by visit_starts.visit_sequence) as next_stage_group,
        lead(visit_starts.valid_from) over (partition by visit_starts.opportunity_id order by visit_starts.visit_sequence) as next_entered_at,
        deletions.deleted_at
    from visit_starts
    left join deletions
        on visit_starts.opportunity_id = deletions.opportunity_id
),

classified_visits as (
    select
        *,
        coalesce(next_entered_at, deleted_at) as exited_at,
        case
            when next_canonical_stage is null
                then case when deleted_at is not null then 'deleted' end
            when canonical_stage = 'unmapped' or next_canonical_stage = 'unmapped' then 'unmapped'
            when stage_group in ('won', 'lost') and next_stage_group in ('won', 'lost')
                then 'changed_outcome'
            when stage_group in ('won', 'lost') then 'reopen'
            when next_stage_group = 'lost' then 'lost'
            when next_stage_order < stage_order then 'backward'
            when next_stage_order = stage_order + 1 then 'forward'
            else 'skip'
        end as move_direction
    from linked_visits
),

final as (
    select
        -- ids
        opportunity_id || '#' || cast(visit_sequence as {{ dbt.type_string() }}) as stage_visit_id,
        opportunity_id,
        visit_sequence,
        stage_visit_number,
        opportunity_type,
        -- stage
        canonical_stage,
        stage_order,
        stage_group,
        previous_canonical_stage,
        next_canonical_stage,
        move_direction,
        -- dates
        valid_from as entered_at,
        exited_at,
        case
            when exited_at is not null
                then {{ dbt.datediff('valid_from', 'exited_at', 'day') }}
            -- the current visit of an open stage runs until the end of as_of_date;
            -- a deal resting in a closed stage has no time "in stage"
            when stage_group not in ('won', 'lost')
                then {{ dbt.datediff('valid_from', crm_revenue.as_of_cutoff(), 'day') }}
        end as days_in_stage,
        -- amounts (record currency)
        amount as amount_at_entry,
        currency_iso_code,
        close_date as close_date_at_entry,
        -- flags
        stage_visit_number > 1 as is_revisit,
        exited_at is null as is_current_visit,
        deleted_at is not null as is_deleted_opportunity
    from classified_visits
)

select * from final

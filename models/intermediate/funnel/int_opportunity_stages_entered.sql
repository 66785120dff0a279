-- One row per opportunity per canonical stage it reached or passed: the stage date
-- stamps in long form. A stage counts as entered the first time the opportunity
-- reached it or any later stage, so stamps never decrease along the funnel:
--   * open stages (targeted ... negotiation) are passed by reaching a later open stage
--     or closed_won (closed_won implies all seven open stages were passed);
--   * closed_lost passes nothing beyond the stages actually reached before it;
--   * a stage never visited but passed is skipped, and its implied entry is the
--     first entry into any later stage (normally the next visited stage).
-- Built on stage visits (deletion states excluded); unmapped stages pass nothing.
with visits as (
    select * from {{ ref('int_opportunity_stage_visits') }}
    where canonical_stage <> 'unmapped'
),

stages as (
    {%- for stage in crm_revenue.funnel_stages() %}
    select
        '{{ stage }}' as canonical_stage,
        {{ loop.index }} as stage_order,
        {{ 'true' if stage in crm_revenue.funnel_open_stages() else 'false' }} as is_open_stage
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

first_visits as (
    select *
    from (
        select
            *,
            row_number() over (
                partition by opportunity_id, canonical_stage
                order by visit_sequence
            ) as first_visit_rank
        from visits
    ) as ranked_visits
    where first_visit_rank = 1
),

passed_stages as (
    -- the stages a first visit reaches or passes: its own stage; every open stage when
    -- it is won; the open stages before it when it is an open (or earlier) stage
    -- (equality and range joins instead of one join on an OR)
    select
        first_visits.*,
        stages.canonical_stage as passed_stage,
        stages.stage_order as passed_stage_order
    from first_visits
    inner join stages
        on first_visits.canonical_stage = stages.canonical_stage
    union all
    select
        first_visits.*,
        stages.canonical_stage as passed_stage,
        stages.stage_order as passed_stage_order
    from first_visits
    inner join stages
        on stages.is_open_stage
        and first_visits.canonical_stage <> stages.canonical_stage
    where first_visits.stage_group = 'won'
    union all
    select
        first_visits.*,
        stages.canonical_stage as passed_stage,
        stages.stage_order as passed_stage_order
    from first_visits
    inner join stages
        on first_visits.stage_order > stages.stage_order
        and first_visits.canonical_stage <> stages.canonical_stage
    where
        stages.is_open_stage
        and first_visits.stage_group in ('pre_pipeline', 'pipeline')
),

reaching_visits as (
    -- every first visit that enters or passes a stage
    select
        opportunity_id,
        opportunity_type,
        passed_stage as canonical_stage,
        passed_stage_order as stage_order,
        canonical_stage as reached_stage,
        visit_sequence,
        entered_at,
        amount_at_entry,
        currency_iso_code,
        canonical_stage = passed_stage as is_own_visit
    from passed_stages
),

ranked_reaching_visits as (
    select
        *,
        row_number() over (
            partition by opportunity_id, canonical_stage
            order by entered_at, visit_sequence
        ) as reach_rank,
        max(case when is_own_visit then 1 else 0 end) over (
            partition by opportunity_id, canonical_stage
        ) as visited_flag
    from reaching_visits
),

final as (
    select
        -- ids
        opportunity_id || '|' || canonical_stage as stage_entry_id,
        opportunity_id,
        opportunity_type,
        -- stage
        canonical_stage,
        stage_order,
        -- entry: the stage itself, or the later stage whose entry passed it
        entered_at,
        reached_stage as entered_via_stage,
        -- amounts (record currency) at the moment of entry
        amount_at_entry,
        currency_iso_code,
        -- flags
        visited_flag = 0 as is_skipped
    from ranked_reaching_visits
    where reach_rank = 1
)

select * from final

-- One row per opportunity with a known state: the stage date stamps in wide form
-- (`<stage>_entered_at`, `<stage>_skipped` for the nine canonical stages, see
-- int_opportunity_stages_entered), when it qualified and closed, how often it moved
-- backward or was reopened, and the days it spent in each open stage.
{%- set stages = crm_revenue.funnel_stages() %}
{%- set open_stages = crm_revenue.funnel_open_stages() %}

with visits as (
    select * from {{ ref('int_opportunity_stage_visits') }}
),

entries as (
    select * from {{ ref('int_opportunity_stages_entered') }}
),

visit_summary as (
    select
        opportunity_id,
        -- first reached an open pipeline or won stage (as int_pipeline_events_classified)
        min(case when stage_group in ('pipeline', 'won') then entered_at end) as qualified_at,
        max(visit_sequence) as stage_visit_count,
        count(case when move_direction = 'backward' then 1 end) as backward_move_count,
        count(case when move_direction = 'reopen' then 1 end) as reopen_count,
        count(case when move_direction = 'skip' then 1 end) as skip_move_count,
        {%- for stage in open_stages %}
        sum(case when canonical_stage = '{{ stage }}' then days_in_stage end) as visited_days_in_{{ stage }},
        {%- endfor %}
        count(case when canonical_stage = 'unmapped' then 1 end) as unmapped_visit_count
    from visits
    group by opportunity_id
),

last_visits as (
    select
        opportunity_id,
        canonical_stage as last_canonical_stage,
        stage_group as last_stage_group,
        entered_at as last_entered_at
    from visits
    where next_canonical_stage is null
),

stamps as (
    select
        opportunity_id,
    {%- for stage in stages %}
    max(case when canonical_stage = '{{ stage }}' then entered_at end) as {{ stage }}_entered_at,
    max(case when canonical_stage = '{{ stage }}' and is_skipped then 1 else 0 end) = 1
        as {{ stage }}_skipped{% if not loop.last %},{% endif %}
    {%- endfor %}
    from entries
    group by opportunity_id
),

final as (
    select
        -- ids
        visit_summary.opportunity_id,
        -- milestones
        visit_summary.qualified_at,
        case
            when last_visits.last_stage_group in ('won', 'lost') then last_visits.last_entered_at
        end as closed_at,
        -- stage date stamps
        {%- for stage in stages %}
        stamps.{{ stage }}_entered_at,
        coalesce(stamps.{{ stage }}_skipped, false) as {{ stage }}_skipped,
        {%- endfor %}
        -- moves
        visit_summary.stage_visit_count,
        visit_summary.backward_move_count,
        visit_summary.reopen_count,
        visit_summary.skip_move_count,
        visit_summary.unmapped_visit_count,
        -- days in each open stage: summed over visits, 0 when skipped, null when not reached
        {%- for stage in open_stages %}
        case
            when stamps.{{ stage }}_entered_at is not null
                then coalesce(visit_summary.visited_days_in_{{ stage }}, 0)
        end as days_in_{{ stage }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from visit_summary
    left join stamps
        on visit_summary.opportunity_id = stamps.opportunity_id
    left join last_visits
        on visit_summary.opportunity_id = last_visits.opportunity_id
)

select * from final

-- Every stage stamped as visited in fct_opportunities has a visit in
-- fct_opportunity_stage_history, and every skipped stage has none. Returns the
-- opportunity and stage of each disagreement.
with opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

visited_stages as (
    select distinct
        opportunity_id,
        canonical_stage
    from {{ ref('fct_opportunity_stage_history') }}
),

stamped_stages as (
    {%- for stage in crm_revenue.funnel_stages() %}
    select
        opportunity_id,
        '{{ stage }}' as canonical_stage,
        {{ stage }}_skipped as is_skipped
    from opportunities
    where {{ stage }}_entered_at is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    stamped_stages.opportunity_id,
    stamped_stages.canonical_stage,
    stamped_stages.is_skipped,
    visited_stages.opportunity_id is not null as has_visit
from stamped_stages
left join visited_stages
    on stamped_stages.opportunity_id = visited_stages.opportunity_id
    and stamped_stages.canonical_stage = visited_stages.canonical_stage
where stamped_stages.is_skipped = (visited_stages.opportunity_id is not null)

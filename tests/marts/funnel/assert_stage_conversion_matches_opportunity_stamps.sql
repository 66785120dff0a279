-- fct_stage_conversion's entered and converted counts agree with the stage date stamps
-- of fct_opportunities: for every (type, cohort quarter, from_stage, to_stage), the
-- non-deleted opportunities whose <from_stage>_entered_at falls in the cohort quarter,
-- and of those the ones with a <to_stage>_entered_at. Returns the disagreeing rows.
with opportunities as (
    select * from {{ ref('fct_opportunities') }}
    where status <> 'deleted'
),

conversion as (
    select * from {{ ref('fct_stage_conversion') }}
),

stamped_pairs as (
    {%- for pair in crm_revenue.funnel_stage_pairs() %}
    select
        opportunity_type,
        {{ crm_revenue.fiscal_quarter_start(pair.from_stage ~ '_entered_at') }} as cohort_quarter_start_date,
        '{{ pair.from_stage }}' as from_stage,
        '{{ pair.to_stage }}' as to_stage,
        count(*) as entered_count,
        count({{ pair.to_stage }}_entered_at) as converted_count
    from opportunities
    where {{ pair.from_stage }}_entered_at is not null
    group by 1, 2
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    coalesce(stamped_pairs.opportunity_type, conversion.opportunity_type) as opportunity_type,
    coalesce(
        stamped_pairs.cohort_quarter_start_date, conversion.cohort_quarter_start_date
    ) as cohort_quarter_start_date,
    coalesce(stamped_pairs.from_stage, conversion.from_stage) as from_stage,
    coalesce(stamped_pairs.to_stage, conversion.to_stage) as to_stage,
    stamped_pairs.entered_count as stamped_entered_count,
    conversion.entered_count,
    stamped_pairs.converted_count as stamped_converted_count,
    conversion.converted_count
from stamped_pairs
full outer join conversion
    on stamped_pairs.opportunity_type = conversion.opportunity_type
    and stamped_pairs.cohort_quarter_start_date = conversion.cohort_quarter_start_date
    and stamped_pairs.from_stage = conversion.from_stage
    and stamped_pairs.to_stage = conversion.to_stage
where
    stamped_pairs.entered_count is distinct from conversion.entered_count
    or stamped_pairs.converted_count is distinct from conversion.converted_count

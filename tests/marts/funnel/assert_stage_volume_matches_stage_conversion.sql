-- The period view and the cohort view count the same first entries: fct_stage_volume's
-- entered_count per (quarter, type, open stage) equals fct_stage_conversion's
-- entered_count for that from-stage and cohort (every open stage has a -> closed_won
-- pair). Returns the disagreeing rows.
with volume as (
    select * from {{ ref('fct_stage_volume') }}
    where canonical_stage not in ('closed_won', 'closed_lost')
),

conversion as (
    select * from {{ ref('fct_stage_conversion') }}
    where to_stage = 'closed_won'
)

select
    volume.quarter_start_date,
    volume.opportunity_type,
    volume.canonical_stage,
    volume.entered_count as volume_entered_count,
    conversion.entered_count as conversion_entered_count
from volume
left join conversion
    on volume.quarter_start_date = conversion.cohort_quarter_start_date
    and volume.opportunity_type = conversion.opportunity_type
    and volume.canonical_stage = conversion.from_stage
where volume.entered_count <> coalesce(conversion.entered_count, 0)

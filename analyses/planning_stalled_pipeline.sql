-- Stalled open pipeline by type and stage (days in stage > the stage p75 for the type).
select
    opportunity_type,
    canonical_stage,
    count(*) as open_deals,
    count(case when is_stalled then 1 end) as stalled_deals,
    sum(case when is_stalled then amount_corporate else 0 end) as stalled_pipeline,
    max(stage_p75_days) as p75_days,
    count(case when is_past_due then 1 end) as past_due_deals
from {{ ref('fct_open_pipeline_aging') }}
group by opportunity_type, canonical_stage
order by opportunity_type, min(case canonical_stage
    when 'qualified' then 1 when 'solution' then 2
    when 'proposal' then 3 else 4
end)

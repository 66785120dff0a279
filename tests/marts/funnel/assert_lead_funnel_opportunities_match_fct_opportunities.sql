-- The lead funnel's opportunities (all sources, summed over months) are exactly the
-- non-deleted opportunities of fct_opportunities with a converted lead, and its won
-- and qualified counts match theirs. Returns a row when a count disagrees.
with funnel_totals as (
    select
        sum(opportunities) as opportunities,
        sum(qualified_opportunities) as qualified_opportunities,
        sum(won_opportunities) as won_opportunities
    from {{ ref('fct_lead_funnel_all_sources') }}
),

opportunity_totals as (
    select
        count(*) as opportunities,
        count(case when is_qualified then 1 end) as qualified_opportunities,
        count(case when status = 'won' then 1 end) as won_opportunities
    from {{ ref('fct_opportunities') }}
    where status <> 'deleted' and converted_lead_key is not null
)

select
    funnel_totals.*,
    opportunity_totals.opportunities as fct_opportunities,
    opportunity_totals.qualified_opportunities as fct_qualified_opportunities,
    opportunity_totals.won_opportunities as fct_won_opportunities
from funnel_totals
cross join opportunity_totals
where
    coalesce(funnel_totals.opportunities, 0) <> opportunity_totals.opportunities
    or coalesce(funnel_totals.qualified_opportunities, 0) <> opportunity_totals.qualified_opportunities
    or coalesce(funnel_totals.won_opportunities, 0) <> opportunity_totals.won_opportunities

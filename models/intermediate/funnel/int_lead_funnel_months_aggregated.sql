-- The lead funnel's monthly counts and rates at two grains, computed once: per month x
-- lead source, and per month for all sources (is_all_sources, lead_source null). The
-- marts fct_lead_funnel and fct_lead_funnel_all_sources each select one grain.
-- Each step is counted in the month of its own date; a cohort count follows that
-- month's entrants into the step to the next step at any time up to as_of_date.
with lead_steps as (
    select * from {{ ref('int_lead_funnel_steps') }}
),

calendar_months as (
    select
        month_start_date,
        fiscal_quarter
    from {{ ref('int_fiscal_months') }}
),

created_leads as (
    select
        lead_source,
        cast({{ dbt.date_trunc('month', 'created_at') }} as date) as month_start_date,
        count(*) as leads,
        count(case when has_passed_mql then 1 end) as leads_reaching_mql,
        count(case when is_mql_skipped then 1 end) as mql_skipped_leads
    from lead_steps
    group by lead_source, month_start_date
),

mql_leads as (
    select
        lead_source,
        cast({{ dbt.date_trunc('month', 'mql_at') }} as date) as month_start_date,
        count(*) as mqls,
        count(case when has_passed_sal then 1 end) as mqls_reaching_sal
    from lead_steps
    where mql_at is not null
    group by lead_source, month_start_date
),

sal_leads as (
    select
        lead_source,
        cast({{ dbt.date_trunc('month', 'sal_at') }} as date) as month_start_date,
        count(*) as sals,
        count(case when is_converted then 1 end) as sals_converted
    from lead_steps
    where sal_at is not null
    group by lead_source, month_start_date
),

converted_leads as (
    select
        lead_source,
        cast({{ dbt.date_trunc('month', 'converted_at') }} as date) as month_start_date,
        count(*) as converted_leads,
        count(case when has_opportunity then 1 end) as opportunities,
        count(case when is_opportunity_qualified then 1 end) as qualified_opportunities,
        count(case when is_opportunity_won then 1 end) as won_opportunities
    from lead_steps
    where converted_at is not null
    group by lead_source, month_start_date
),

first_lead_month as (
    select min(month_start_date) as month_start_date
    from created_leads
),

reported_months as (
    -- every month from the first lead through the as-of month
    select calendar_months.*
    from calendar_months
    cross join first_lead_month
    where
        calendar_months.month_start_date >= first_lead_month.month_start_date
        and calendar_months.month_start_date <= cast({{ dbt.date_trunc('month', crm_revenue.as_of_date()) }} as date)
),

lead_sources as (
    select distinct lead_source from lead_steps
),

source_months as (
    -- every source in every reported month, also without activity
    select
        reported_months.month_start_date,
        reported_months.fiscal_quarter,
        lead_sources.lead_source,
        coalesce(created_leads.leads, 0) as leads,
        coalesce(created_leads.leads_reaching_mql, 0) as leads_reaching_mql,
        coalesce(created_leads.mql_skipped_leads, 0) as mql_skipped_leads,
        coalesce(mql_leads.mqls, 0) as mqls,
        coalesce(mql_leads.mqls_reaching_sal, 0) as mqls_reaching_sal,
        coalesce(sal_leads.sals, 0) as sals,
        coalesce(sal_leads.sals_converted, 0) as sals_converted,
        coalesce(converted_leads.converted_leads, 0) as converted_leads,
        coalesce(converted_leads.opportunities, 0) as opportunities,
        coalesce(converted_leads.qualified_opportunities, 0) as qualified_opportunities,
        coalesce(converted_leads.won_opportunities, 0) as won_opportunities
    from reported_months
    cross join lead_sources
    left join created_leads
        on reported_months.month_start_date = created_leads.month_start_date
        and lead_sources.lead_source = created_leads.lead_source
    left join mql_leads
        on reported_months.month_start_date = mql_leads.month_start_date
        and lead_sources.lead_source = mql_leads.lead_source
    left join sal_leads
        on reported_months.month_start_date = sal_leads.month_start_date
        and lead_sources.lead_source = sal_leads.lead_source
    left join converted_leads
        on reported_months.month_start_date = converted_leads.month_start_date
        and lead_sources.lead_source = converted_leads.lead_source
),

both_grains as (
    select
        month_start_date,
        fiscal_quarter,
        lead_source,
        grouping(lead_source) = 1 as is_all_sources,
        sum(leads) as leads,
        sum(leads_reaching_mql) as leads_reaching_mql,
        sum(mql_skipped_leads) as mql_skipped_leads,
        sum(mqls) as mqls,
        sum(mqls_reaching_sal) as mqls_reaching_sal,
        sum(sals) as sals,
        sum(sals_converted) as sals_converted,
        sum(converted_leads) as converted_leads,
        sum(opportunities) as opportunities,
        sum(qualified_opportunities) as qualified_opportunities,
        sum(won_opportunities) as won_opportunities
    from source_months
    group by month_start_date, fiscal_quarter, rollup(lead_source)
),

with_previous_month as (
    select
        *,
        coalesce(lag(mqls) over (
            partition by is_all_sources, lead_source order by month_start_date
        ), 0) as previous_month_mqls,
        row_number() over (
            partition by is_all_sources, lead_source order by month_start_date
        ) as month_number
    from both_grains
),

final as (
    select
        -- keys
        month_start_date,
        lead_source,
        is_all_sources,
        fiscal_quarter,
        -- volumes (in the month the step happened)
        cast(leads as bigint) as leads,
        cast(mqls as bigint) as mqls,
        cast(sals as bigint) as sals,
        cast(converted_leads as bigint) as converted_leads,
        cast(opportunities as bigint) as opportunities,
        cast(qualified_opportunities as bigint) as qualified_opportunities,
        cast(won_opportunities as bigint) as won_opportunities,
        -- cohort follow-through (of the month's entrants into the from-step)
        cast(leads_reaching_mql as bigint) as leads_reaching_mql,
        cast(mql_skipped_leads as bigint) as mql_skipped_leads,
        cast(mqls_reaching_sal as bigint) as mqls_reaching_sal,
        cast(sals_converted as bigint) as sals_converted,
        -- conversion between consecutive steps
        {{ crm_revenue.safe_ratio('leads_reaching_mql', 'leads') }} as lead_to_mql_rate,
        {{ crm_revenue.safe_ratio('mqls_reaching_sal', 'mqls') }} as mql_to_sal_rate,
        {{ crm_revenue.safe_ratio('sals_converted', 'sals') }} as sal_to_converted_rate,
        {{ crm_revenue.safe_ratio('opportunities', 'converted_leads') }} as converted_to_opportunity_rate,
        {{ crm_revenue.safe_ratio('qualified_opportunities', 'opportunities') }} as opportunity_to_qualified_rate,
        {{ crm_revenue.safe_ratio('won_opportunities', 'qualified_opportunities') }} as qualified_to_won_rate,
        -- growth: null for the first month and after a month without MQLs
        cast(previous_month_mqls as bigint) as previous_month_mqls,
        case
            when month_number > 1
                then {{ crm_revenue.safe_ratio('mqls - previous_month_mqls', 'previous_month_mqls') }}
        end as lead_velocity_rate,
        -- flags
        coalesce(
            {{ crm_revenue.safe_ratio('mqls_reaching_sal', 'mqls') }} < {{ var('mql_to_sal_threshold', 0.5) }},
            false
        ) as is_below_mql_to_sal_threshold,
        month_start_date = cast({{ dbt.date_trunc('month', crm_revenue.as_of_date()) }} as date) as is_as_of_month
    from with_previous_month
)

select * from final

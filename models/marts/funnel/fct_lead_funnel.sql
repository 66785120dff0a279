-- The lead funnel by calendar month, per lead source and for all sources together
-- (lead_source '(all)', is_all_sources = true). Volumes count each step in the month
-- it happened (leads by CreatedDate, MQLs by MQL_Date__c, SALs by SAL_Date__c,
-- converted leads and the opportunities created from them by ConvertedDate).
-- Conversion rates follow each month's entrants into the from-step to the next step
-- at any time up to as_of_date (a later step passes the skipped ones), so they never
-- exceed 1; recent months are still maturing. Leads without MQL/SAL dates count as
-- inquiries; a lead that reached SAL or converted without an MQL date passed MQL by
-- skipping it: it is in leads_reaching_mql and mql_skipped_leads, not in mqls.
-- lead_velocity_rate = (MQLs this month - MQLs last month) / MQLs last month.
{%- set lead_step_columns = ['created_at', 'mql_at', 'sal_at', 'converted_at', 'has_passed_mql',
    'has_passed_sal', 'is_converted', 'is_mql_skipped', 'has_opportunity',
    'is_opportunity_qualified', 'is_opportunity_won'] %}
{#- each step: its date, whether the lead passed the next step (and skipped it), and the opportunity outcome -#}
{%- set funnel_steps = [
    {'name': 'lead', 'at': 'created_at', 'reached_next': 'has_passed_mql', 'next_skipped': 'is_mql_skipped',
     'opportunity': 'false', 'qualified': 'false', 'won': 'false'},
    {'name': 'mql', 'at': 'mql_at', 'reached_next': 'has_passed_sal', 'next_skipped': 'false',
     'opportunity': 'false', 'qualified': 'false', 'won': 'false'},
    {'name': 'sal', 'at': 'sal_at', 'reached_next': 'is_converted', 'next_skipped': 'false',
     'opportunity': 'false', 'qualified': 'false', 'won': 'false'},
    {'name': 'converted', 'at': 'converted_at', 'reached_next': 'has_opportunity', 'next_skipped': 'false',
     'opportunity': 'has_opportunity', 'qualified': 'is_opportunity_qualified', 'won': 'is_opportunity_won'},
] %}

with lead_steps as (
    select * from {{ ref('int_lead_funnel_steps') }}
),

calendar as (
    select quarter_start_date, fiscal_quarter from {{ ref('int_fiscal_quarters') }}
),

steps_by_source as (
    -- every lead twice: under its own source and under '(all)'
    {%- for is_all in [false, true] %}
    select
        lead_id,
        {{ "'(all)'" if is_all else 'lead_source' }} as lead_source,
        {{ 'true' if is_all else 'false' }} as is_all_sources,
        {{ lead_step_columns | join(',\n        ') }}
    from lead_steps
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

step_events as (
    -- one row per lead and step it has a date for, in that date's month
    {%- for step in funnel_steps %}
    select
        lead_source,
        is_all_sources,
        '{{ step.name }}' as step,
        cast({{ dbt.date_trunc('month', step.at) }} as date) as month_start_date,
        {{ step.reached_next }} as reached_next_step,
        {{ step.next_skipped }} as skipped_next_step,
        {{ step.opportunity }} as has_opportunity,
        {{ step.qualified }} as is_opportunity_qualified,
        {{ step.won }} as is_opportunity_won
    from steps_by_source
    where {{ step.at }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

monthly as (
    select
        lead_source,
        is_all_sources,
        month_start_date,
        count(case when step = 'lead' then 1 end) as leads,
        count(case when step = 'lead' and reached_next_step then 1 end) as leads_reaching_mql,
        count(case when step = 'lead' and skipped_next_step then 1 end) as mql_skipped_leads,
        count(case when step = 'mql' then 1 end) as mqls,
        count(case when step = 'mql' and reached_next_step then 1 end) as mqls_reaching_sal,
        count(case when step = 'sal' then 1 end) as sals,
        count(case when step = 'sal' and reached_next_step then 1 end) as sals_converted,
        count(case when step = 'converted' then 1 end) as converted_leads,
        count(case when step = 'converted' and has_opportunity then 1 end) as opportunities,
        count(case when step = 'converted' and is_opportunity_qualified then 1 end) as qualified_opportunities,
        count(case when step = 'converted' and is_opportunity_won then 1 end) as won_opportunities
    from step_events
    group by lead_source, is_all_sources, month_start_date
),

months as (
    -- every month from the first lead through the as-of month (three per fiscal quarter)
    select
        cast({{ dbt.dateadd('month', 'month_offsets.month_offset', 'calendar.quarter_start_date') }} as date)
            as month_start_date,
        calendar.fiscal_quarter
    from calendar
    cross join (select 0 as month_offset union all select 1 union all select 2) as month_offsets
),

reported_months as (
    select months.*
    from months
    where
        months.month_start_date >= (select min(month_start_date) from monthly)
        and months.month_start_date <= cast({{ dbt.date_trunc('month', crm_revenue.as_of_date()) }} as date)
),

sources as (
    select distinct lead_source, is_all_sources from monthly
),

spine as (
    select
        reported_months.month_start_date,
        reported_months.fiscal_quarter,
        sources.lead_source,
        sources.is_all_sources
    from reported_months
    cross join sources
),

filled as (
    select
        spine.month_start_date,
        spine.lead_source,
        spine.is_all_sources,
        spine.fiscal_quarter,
        {%- for column in ['leads', 'leads_reaching_mql', 'mql_skipped_leads', 'mqls', 'mqls_reaching_sal',
                           'sals', 'sals_converted', 'converted_leads', 'opportunities',
                           'qualified_opportunities', 'won_opportunities'] %}
        coalesce(monthly.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        coalesce(lag(monthly.mqls) over (
            partition by spine.lead_source order by spine.month_start_date
        ), 0) as previous_month_mqls,
        row_number() over (partition by spine.lead_source order by spine.month_start_date) as month_number
    from spine
    left join monthly
        on spine.month_start_date = monthly.month_start_date
        and spine.lead_source = monthly.lead_source
),

final as (
    select
        -- keys
        filled.month_start_date,
        filled.lead_source,
        -- descriptive
        filled.is_all_sources,
        filled.fiscal_quarter,
        -- volumes (in the month the step happened)
        filled.leads,
        filled.mqls,
        filled.sals,
        filled.converted_leads,
        filled.opportunities,
        filled.qualified_opportunities,
        filled.won_opportunities,
        -- cohort follow-through (of the month's entrants into the from-step)
        filled.leads_reaching_mql,
        filled.mql_skipped_leads,
        filled.mqls_reaching_sal,
        filled.sals_converted,
        -- conversion between consecutive steps
        {{ crm_revenue.safe_ratio('filled.leads_reaching_mql', 'filled.leads') }} as lead_to_mql_rate,
        {{ crm_revenue.safe_ratio('filled.mqls_reaching_sal', 'filled.mqls') }} as mql_to_sal_conversion,
        {{ crm_revenue.safe_ratio('filled.sals_converted', 'filled.sals') }} as sal_to_converted_rate,
        {{ crm_revenue.safe_ratio('filled.opportunities', 'filled.converted_leads') }} as converted_to_opportunity_rate,
        {{ crm_revenue.safe_ratio('filled.qualified_opportunities', 'filled.opportunities') }}
            as opportunity_to_qualified_rate,
        {{ crm_revenue.safe_ratio('filled.won_opportunities', 'filled.qualified_opportunities') }}
            as qualified_to_won_rate,
        -- growth: null for the first month and after a month without MQLs
        filled.previous_month_mqls,
        case
            when filled.month_number > 1
                then {{ crm_revenue.safe_ratio('filled.mqls - filled.previous_month_mqls', 'filled.previous_month_mqls') }}
        end as lead_velocity_rate,
        -- flags
        coalesce(
            {{ crm_revenue.safe_ratio('filled.mqls_reaching_sal', 'filled.mqls') }}
                < {{ var('mql_to_sal_threshold', 0.5) }},
            false
        ) as is_below_mql_to_sal_threshold,
        filled.month_start_date = cast({{ dbt.date_trunc('month', crm_revenue.as_of_date()) }} as date)
            as is_as_of_month
    from filled
)

select * from final

{{ config(severity='warn') }}
-- Months (all lead sources) whose MQL -> SAL conversion is below the
-- mql_to_sal_threshold var (default 0.5): marketing's leads are not what sales
-- accepts. A warning, so pipelines show it without failing. The latest months are
-- still maturing (their MQLs may yet be accepted); the as-of month is marked.
select
    month_start_date,
    mqls,
    mqls_reaching_sal,
    mql_to_sal_rate,
    {{ var('mql_to_sal_threshold', 0.5) }} as mql_to_sal_threshold,
    is_as_of_month
from {{ ref('fct_lead_funnel_all_sources') }}
where is_below_mql_to_sal_threshold
{%- if execute %}
{%- set found = run_query("select strftime(month_start_date, '%Y-%m') || ' ' || cast(round(mql_to_sal_rate * 100, 1) as varchar) || '%' || case when is_as_of_month then ' (as-of month, maturing)' else '' end from " ~ ref('fct_lead_funnel_all_sources') ~ " where is_below_mql_to_sal_threshold order by month_start_date") %}
{%- if found and found.rows | length > 0 %}
{%- do log("WARNING MQL -> SAL conversion below " ~ var('mql_to_sal_threshold', 0.5) ~ " (all lead sources) in " ~ found.rows | length ~ " month(s): " ~ found.columns[0].values() | join(', '), info=true) %}
{%- endif %}
{%- endif %}

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

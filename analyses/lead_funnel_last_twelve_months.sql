-- The lead funnel for all sources over the last twelve months up to the as-of month.
with lead_funnel as (
    select * from {{ ref('fct_lead_funnel_all_sources') }}
),

last_month as (
    select max(month_start_date) as month_start_date from lead_funnel
),

final as (
    select
        lead_funnel.month_start_date,
        lead_funnel.leads,
        lead_funnel.mqls,
        lead_funnel.sals,
        lead_funnel.converted_leads,
        lead_funnel.opportunities,
        lead_funnel.won_opportunities,
        round(100 * lead_funnel.mql_to_sal_rate, 1) as mql_to_sal_pct,
        round(100 * lead_funnel.lead_velocity_rate, 1) as lead_velocity_pct,
        lead_funnel.is_below_mql_to_sal_threshold as below_threshold
    from lead_funnel
    cross join last_month
    where lead_funnel.month_start_date > {{ dbt.dateadd('month', -12, 'last_month.month_start_date') }}
)

select * from final
order by month_start_date

-- The lead funnel by calendar month and lead source (one grain: month x lead_source;
-- the all-sources totals are fct_lead_funnel_all_sources).
with lead_funnel_months as (
    select * from {{ ref('int_lead_funnel_months_aggregated') }}
    where not is_all_sources
),

final as (
    select
        -- keys
        month_start_date,
        lead_source,
        fiscal_quarter,
        -- volumes (in the month the step happened)
        leads,
        mqls,
        sals,
        converted_leads,
        opportunities,
        qualified_opportunities,
        won_opportunities,
        -- cohort follow-through (of the month's entrants into the from-step)
        leads_reaching_mql,
        mql_skipped_leads,
        mqls_reaching_sal,
        sals_converted,
        -- conversion between consecutive steps
        lead_to_mql_rate,
        mql_to_sal_rate,
        sal_to_converted_rate,
        converted_to_opportunity_rate,
        opportunity_to_qualified_rate,
        qualified_to_won_rate,
        -- growth
        previous_month_mqls,
        lead_velocity_rate,
        -- flags
        is_below_mql_to_sal_threshold,
        is_as_of_month
    from lead_funnel_months
)

select * from final

-- Win rate and velocity from qualified: per opportunity type and matured cohort of the
-- last four such quarters, entered / won / lost / still open, win % and days to win.
with qualified_to_won as (
    select * from {{ ref('fct_stage_conversion') }}
    where
        from_stage = 'qualified'
        and to_stage = 'closed_won'
        and not is_maturing
        and opportunity_type <> 'unknown'
),

last_matured_quarter as (
    select max(cohort_quarter_start_date) as cohort_quarter_start_date
    from {{ ref('fct_stage_conversion') }}
    where not is_maturing
),

final as (
    select
        qualified_to_won.opportunity_type,
        qualified_to_won.cohort_fiscal_quarter,
        qualified_to_won.entered_count,
        qualified_to_won.converted_count as won,
        qualified_to_won.lost_count as lost,
        qualified_to_won.still_open_count as still_open,
        round(100 * qualified_to_won.count_conversion_rate, 1) as win_pct,
        qualified_to_won.median_days_to_convert as median_days,
        qualified_to_won.p75_days_to_convert as p75_days,
        qualified_to_won.cohort_quarter_start_date
    from qualified_to_won
    cross join last_matured_quarter
    where
        qualified_to_won.cohort_quarter_start_date
        >= {{ crm_revenue.fiscal_quarter_start('last_matured_quarter.cohort_quarter_start_date', quarters_after=-3) }}
)

select * from final
order by opportunity_type, cohort_quarter_start_date

-- The bookings forecast backtest, all types: both methods next to the actual closed won.
select
    fiscal_quarter,
    open_pipeline,
    weighted_forecast,
    historical_forecast,
    actual_closed_won_from_open_pipeline,
    actual_closed_won,
    round(100 * weighted_absolute_percentage_error, 1) as weighted_ape_pct,
    round(100 * historical_absolute_percentage_error, 1) as historical_ape_pct
from {{ ref('fct_bookings_forecast') }}
where opportunity_type = 'all' and is_backtest
order by quarter_start_date

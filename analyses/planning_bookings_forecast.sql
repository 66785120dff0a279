-- Expected bookings from the open pipeline at as_of_date, all types.
select
    fiscal_quarter,
    quarter_status,
    open_pipeline,
    open_opportunities,
    weighted_forecast,
    historical_forecast
from {{ ref('fct_bookings_forecast') }}
where opportunity_type = 'all' and not is_backtest
order by quarter_start_date

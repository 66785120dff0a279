-- Backtest accuracy (MAPE) of both forecast methods per type, against all bookings and against what the opening pipeline booked.
select
    opportunity_type,
    count(*) as quarters,
    round(100 * avg(weighted_absolute_percentage_error), 1) as weighted_mape_pct,
    round(100 * avg(historical_absolute_percentage_error), 1) as historical_mape_pct,
    round(100 * avg(
        abs(weighted_forecast - actual_closed_won_from_open_pipeline)
        / nullif(actual_closed_won_from_open_pipeline, 0)
    ), 1) as weighted_mape_vs_open_pct,
    round(100 * avg(
        abs(historical_forecast - actual_closed_won_from_open_pipeline)
        / nullif(actual_closed_won_from_open_pipeline, 0)
    ), 1) as historical_mape_vs_open_pct
from {{ ref('fct_bookings_forecast') }}
where
    is_backtest
    and open_pipeline > 0
    and weighted_absolute_percentage_error is not null
    and historical_absolute_percentage_error is not null
group by opportunity_type
order by opportunity_type = 'all', opportunity_type

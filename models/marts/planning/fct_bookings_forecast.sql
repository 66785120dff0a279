-- Expected bookings and how good that forecast would have been: one row per fiscal
-- quarter and opportunity type (and `all` = the sum over every type). For the current
-- quarter and the next pipeline_window_quarters - 1: the forecast from the open pipeline
-- at as_of_date, placed in the quarter of each deal's close date. For every complete past
-- quarter: the backtest, the same forecast made at the quarter's first instant, next to
-- the actual closed won. weighted_forecast = amount x the stage's probability;
-- historical_forecast = amount x the trailing stage-to-won conversion rate by amount of
-- the deal's type and stage (all types when the type has no matured cohorts for it).
{%- set window_quarters = var('pipeline_window_quarters') | int %}

with deals as (
    select * from {{ ref('int_bookings_forecast_deals') }}
),

rates as (
    select * from {{ ref('int_bookings_forecast_rates') }}
),

calendar as (
    select * from {{ ref('int_planning_calendar') }}
),

waterfall as (
    select * from {{ ref('int_planning_waterfall') }}
),

won_movements as (
    select * from {{ ref('fct_pipeline_movements') }}
    where element = 'closed_won'
),

opportunity_types as (
    select distinct opportunity_type from waterfall
    where opportunity_type <> 'all'
),

forecast_quarters as (
    select
        quarter_start_date,
        fiscal_quarter,
        quarter_status,
        quarter_status = 'past' as is_backtest,
        case
            when quarter_status = 'past' then cast(quarter_start_date as {{ dbt.type_timestamp() }})
            else {{ crm_revenue.as_of_cutoff() }}
        end as forecast_made_at
    from calendar
    where
        quarter_start_date in (
            select waterfall.quarter_start_date from waterfall
            where waterfall.quarter_status = 'past'
        )
        or (
            quarter_index >= current_quarter_index
            and quarter_index < current_quarter_index + {{ window_quarters }}
        )
),

rated_deals as (
    select
        deals.*,
        coalesce(type_rates.amount_won_rate, all_type_rates.amount_won_rate) as amount_won_rate
    from deals
    left join rates as type_rates
        on deals.anchor_quarter_index = type_rates.anchor_quarter_index
        and deals.opportunity_type = type_rates.opportunity_type
        and deals.canonical_stage = type_rates.canonical_stage
    left join rates as all_type_rates
        on deals.anchor_quarter_index = all_type_rates.anchor_quarter_index
        and all_type_rates.opportunity_type = 'all'
        and deals.canonical_stage = all_type_rates.canonical_stage
),

deal_forecasts as (
    select
        quarter_start_date,
        opportunity_type,
        amount_corporate,
        cast(amount_corporate * stage_probability as decimal(38, 6)) as weighted_amount_corporate,
        cast(amount_corporate * amount_won_rate as decimal(38, 6)) as historical_amount_corporate,
        amount_won_rate is null as has_no_historical_rate,
        opportunity_id,
        is_backtest
    from rated_deals
),

backtest_deals_won as (
    -- what the backtest's open pipeline itself booked in its quarter
    select
        deal_forecasts.quarter_start_date,
        deal_forecasts.opportunity_type,
        sum(won_movements.amount_corporate) as closed_won_from_open_pipeline
    from deal_forecasts
    inner join won_movements
        on deal_forecasts.opportunity_id = won_movements.opportunity_id
        and deal_forecasts.quarter_start_date = won_movements.quarter_start_date
    where deal_forecasts.is_backtest
    group by deal_forecasts.quarter_start_date, deal_forecasts.opportunity_type
),

by_type as (
    select
        quarter_start_date,
        opportunity_type,
        sum(amount_corporate) as open_pipeline,
        count(distinct opportunity_id) as open_opportunities,
        sum(weighted_amount_corporate) as weighted_forecast,
        sum(historical_amount_corporate) as historical_forecast,
        count(case when has_no_historical_rate then 1 end) as opportunities_without_historical_rate
    from deal_forecasts
    group by quarter_start_date, opportunity_type
),

by_type_with_won as (
    select
        by_type.*,
        backtest_deals_won.closed_won_from_open_pipeline
    from by_type
    left join backtest_deals_won
        on by_type.quarter_start_date = backtest_deals_won.quarter_start_date
        and by_type.opportunity_type = backtest_deals_won.opportunity_type
),

spine as (
    select
        forecast_quarters.*,
        opportunity_types.opportunity_type
    from forecast_quarters
    cross join opportunity_types
),

filled as (
    select
        spine.*,
        coalesce(by_type.open_pipeline, 0) as open_pipeline,
        coalesce(by_type.open_opportunities, 0) as open_opportunities,
        coalesce(by_type.weighted_forecast, 0) as weighted_forecast,
        coalesce(by_type.historical_forecast, 0) as historical_forecast,
        coalesce(by_type.opportunities_without_historical_rate, 0) as opportunities_without_historical_rate,
        case
            when spine.is_backtest then coalesce(by_type.closed_won_from_open_pipeline, 0)
        end as closed_won_from_open_pipeline
    from spine
    left join by_type_with_won as by_type
        on spine.quarter_start_date = by_type.quarter_start_date
        and spine.opportunity_type = by_type.opportunity_type
),

with_all_types as (
    select * from filled
    union all
    select
        quarter_start_date,
        fiscal_quarter,
        quarter_status,
        is_backtest,
        forecast_made_at,
        'all' as opportunity_type,
        sum(open_pipeline) as open_pipeline,
        sum(open_opportunities) as open_opportunities,
        sum(weighted_forecast) as weighted_forecast,
        sum(historical_forecast) as historical_forecast,
        sum(opportunities_without_historical_rate) as opportunities_without_historical_rate,
        sum(closed_won_from_open_pipeline) as closed_won_from_open_pipeline
    from filled
    group by quarter_start_date, fiscal_quarter, quarter_status, is_backtest, forecast_made_at
),

with_actuals as (
    select
        with_all_types.*,
        case
            when with_all_types.opportunities_without_historical_rate = 0
                then with_all_types.historical_forecast
        end as complete_historical_forecast,
        waterfall.closed_won as actual_closed_won
    from with_all_types
    left join waterfall
        on with_all_types.quarter_start_date = waterfall.quarter_start_date
        and with_all_types.opportunity_type = waterfall.opportunity_type
        and with_all_types.quarter_status <> 'future'
),

final as (
    select
        -- keys
        quarter_start_date,
        fiscal_quarter,
        opportunity_type,
        quarter_status,
        -- the forecast instant
        is_backtest,
        forecast_made_at,
        -- open pipeline closing in the quarter at that instant (corporate currency)
        open_pipeline,
        open_opportunities,
        -- the two forecasts
        weighted_forecast,
        complete_historical_forecast as historical_forecast,
        opportunities_without_historical_rate,
        -- actuals (past quarters; the current quarter to date) and the backtest's errors
        actual_closed_won,
        closed_won_from_open_pipeline as actual_closed_won_from_open_pipeline,
        case
            when is_backtest
                then {{ crm_revenue.precise_ratio('abs(weighted_forecast - actual_closed_won)', 'actual_closed_won') }}
        end as weighted_absolute_percentage_error,
        case
            when is_backtest
                then {{ crm_revenue.precise_ratio('abs(complete_historical_forecast - actual_closed_won)', 'actual_closed_won') }}
        end as historical_absolute_percentage_error
    from with_actuals
)

select * from final

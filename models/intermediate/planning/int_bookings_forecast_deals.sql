-- The open pipeline a bookings forecast is made from: one row per forecast instant and
-- open deal (open pipeline stage, not deleted) placed in the fiscal quarter of its close
-- date. Instants: the as-of cutoff, for the current quarter and the next
-- pipeline_window_quarters - 1 (the forecast); and the first instant of every complete
-- past reported quarter, for deals closing in that quarter (the backtest). The state at
-- an instant is read from the waterfall's timeline exactly as the waterfall reads its
-- starting pipeline (only events strictly before the instant count) and converted at
-- the rate of the instant's quarter, so the backtest's open pipeline equals the
-- waterfall's starting_pipeline_this_quarter.
{%- set window_quarters = var('pipeline_window_quarters') | int %}

with states as (
    select * from {{ ref('int_pipeline_states') }}
    where stage_group = 'pipeline' and not is_deleted
),

calendar as (
    select * from {{ ref('int_planning_calendar') }}
),

reported_quarters as (
    select distinct
        quarter_start_date,
        quarter_index,
        quarter_status
    from {{ ref('int_planning_waterfall') }}
),

rates as (
    select * from {{ ref('int_pipeline_currency_rates') }}
),

instants as (
    -- the backtest: every complete past quarter, at its first instant
    select
        quarter_index as anchor_quarter_index,
        quarter_start_date as anchor_quarter_start_date,
        true as is_backtest,
        cast(quarter_start_date as {{ dbt.type_timestamp() }}) as forecast_made_at
    from reported_quarters
    where quarter_status = 'past'
    union all
    -- the forecast: as of as_of_date
    select
        quarter_index as anchor_quarter_index,
        quarter_start_date as anchor_quarter_start_date,
        false as is_backtest,
        {{ crm_revenue.as_of_cutoff() }} as forecast_made_at
    from calendar
    where quarter_status = 'current'
),

forecast_quarters as (
    -- the quarters each instant forecasts: its own (backtest) or the window (forecast)
    select
        instants.*,
        calendar.quarter_start_date,
        calendar.quarter_end_date
    from instants
    inner join calendar
        on instants.anchor_quarter_index <= calendar.quarter_index
        and calendar.quarter_index < instants.anchor_quarter_index
        + case when instants.is_backtest then 1 else {{ window_quarters }} end
),

open_deals as (
    select
        forecast_quarters.anchor_quarter_index,
        forecast_quarters.anchor_quarter_start_date,
        forecast_quarters.is_backtest,
        forecast_quarters.forecast_made_at,
        forecast_quarters.quarter_start_date,
        states.opportunity_id,
        states.opportunity_type,
        states.canonical_stage,
        states.stage_probability,
        states.currency_iso_code,
        states.amount,
        states.close_date
    from forecast_quarters
    inner join states
        on states.valid_from < forecast_quarters.forecast_made_at
        -- a current state (valid_to null) is valid at any later instant (no OR in the join)
        and coalesce(states.valid_to, cast('9999-12-31 00:00:00' as {{ dbt.type_timestamp() }}))
        >= forecast_quarters.forecast_made_at
        and forecast_quarters.quarter_start_date <= states.close_date
        and forecast_quarters.quarter_end_date >= states.close_date
),

final as (
    select
        -- keys
        open_deals.anchor_quarter_index,
        open_deals.quarter_start_date,
        open_deals.opportunity_id,
        -- forecast instant
        open_deals.anchor_quarter_start_date,
        open_deals.is_backtest,
        open_deals.forecast_made_at,
        -- the deal at that instant
        open_deals.opportunity_type,
        open_deals.canonical_stage,
        open_deals.close_date,
        open_deals.stage_probability,
        {{ crm_revenue.convert_to_corporate('coalesce(open_deals.amount, 0)', 'rates.currency_conversion_rate') }}
            as amount_corporate
    from open_deals
    inner join rates
        on open_deals.anchor_quarter_start_date = rates.quarter_start_date
        and open_deals.currency_iso_code = rates.currency_iso_code
)

select * from final

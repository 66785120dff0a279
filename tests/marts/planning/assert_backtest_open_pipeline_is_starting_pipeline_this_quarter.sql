-- The backtest's open pipeline closing in a complete past quarter, at the quarter's
-- first instant, equals the waterfall's starting_pipeline_this_quarter, exactly, for
-- every opportunity type and for `all` (their sum).
with backtest as (
    select * from {{ ref('fct_bookings_forecast') }}
    where is_backtest
),

waterfall as (
    select
        quarter_start_date,
        opportunity_type,
        starting_pipeline_this_quarter
    from {{ ref('fct_pipeline_waterfall') }}
    where is_complete
),

waterfall_with_all_types as (
    select * from waterfall
    union all
    select
        quarter_start_date,
        'all' as opportunity_type,
        sum(starting_pipeline_this_quarter) as starting_pipeline_this_quarter
    from waterfall
    group by quarter_start_date
),

final as (
    select
        coalesce(backtest.quarter_start_date, waterfall_with_all_types.quarter_start_date) as quarter_start_date,
        coalesce(backtest.opportunity_type, waterfall_with_all_types.opportunity_type) as opportunity_type,
        backtest.open_pipeline,
        waterfall_with_all_types.starting_pipeline_this_quarter
    from backtest
    full outer join waterfall_with_all_types
        on backtest.quarter_start_date = waterfall_with_all_types.quarter_start_date
        and backtest.opportunity_type = waterfall_with_all_types.opportunity_type
    where
        -- every complete waterfall row has its backtest row, with the same amount
        backtest.quarter_start_date is null
        -- (a target type without any opportunity has backtest rows of 0 and no waterfall row)
        or coalesce(backtest.open_pipeline, 0)
        <> coalesce(waterfall_with_all_types.starting_pipeline_this_quarter, 0)
)

select * from final

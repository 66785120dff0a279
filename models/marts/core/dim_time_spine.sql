-- The semantic layer's time spine: one row per day of the fiscal calendar
-- (calendar_start_date to calendar_end_date), with the first day of its fiscal quarter
-- and fiscal year. MetricFlow's standard grains (metric_time__quarter, __year) are
-- calendar grains; the fiscal ones are the custom granularities fiscal_quarter and
-- fiscal_year declared on these columns, so they follow fiscal_year_start_month.
with days as (
    {{ dbt.date_spine(
        datepart='day',
        start_date="cast('" ~ var('calendar_start_date') ~ "' as date)",
        end_date="cast('" ~ var('calendar_end_date') ~ "' as date)"
    ) }}
),

fiscal_quarters as (
    select * from {{ ref('int_fiscal_quarters') }}
),

final as (
    select
        -- the day (MetricFlow's standard granularity column)
        cast(days.date_day as date) as date_day,
        -- fiscal calendar
        fiscal_quarters.quarter_start_date as fiscal_quarter_start_date,
        fiscal_quarters.fiscal_year_start_date,
        fiscal_quarters.fiscal_quarter,
        fiscal_quarters.fiscal_year
    from days
    inner join fiscal_quarters
        on cast(days.date_day as date) >= fiscal_quarters.quarter_start_date
        and cast(days.date_day as date) <= fiscal_quarters.quarter_end_date
)

select * from final

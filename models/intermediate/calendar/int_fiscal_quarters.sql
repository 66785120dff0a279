-- One row per fiscal quarter between the calendar_start_date and calendar_end_date
-- vars, with its window for the pipeline (this quarter plus the next
-- pipeline_window_quarters - 1) and the quarter that rolls into the window next.
{%- set window_quarters = var('pipeline_window_quarters') | int %}
{%- set start_month = var('fiscal_year_start_month') | int %}

with months as (
    {{ dbt.date_spine(
        datepart='month',
        start_date="cast('" ~ var('calendar_start_date') ~ "' as date)",
        end_date="cast('" ~ var('calendar_end_date') ~ "' as date)"
    ) }}
),

quarter_starts as (
    select distinct {{ crm_revenue.fiscal_quarter_start('date_month') }} as quarter_start_date
    from months
),

bounds as (
    select
        quarter_start_date,
        cast({{ dbt.dateadd('month', 3, 'quarter_start_date') }} as date) as next_quarter_start_date,
        cast({{ dbt.dateadd('month', 6, 'quarter_start_date') }} as date) as following_quarter_start_date,
        cast({{ dbt.dateadd('month', 3 * window_quarters, 'quarter_start_date') }} as date)
            as window_end_date,
        cast({{ dbt.dateadd('month', 3 * window_quarters + 3, 'quarter_start_date') }} as date)
            as next_window_end_date,
        extract(month from quarter_start_date) as start_month_number,
        extract(year from quarter_start_date) as start_year_number
    from quarter_starts
),

numbered as (
    select
        -- dates
        quarter_start_date,
        cast({{ dbt.dateadd('day', -1, 'next_quarter_start_date') }} as date) as quarter_end_date,
        next_quarter_start_date,
        following_quarter_start_date,
        -- pipeline window W(Q) = [quarter_start_date, window_end_date)
        window_end_date,
        -- W(Q + 1) = [next_quarter_start_date, next_window_end_date)
        next_window_end_date,
        -- labels: the fiscal year is named after the calendar year in which it ends
        cast(
            start_year_number
            + case when {{ start_month }} > 1 and start_month_number >= {{ start_month }} then 1 else 0 end
            as integer
        ) as fiscal_year,
        cast(
            floor(mod(start_month_number - {{ start_month }} + 12, 12) / 3) + 1 as integer
        ) as fiscal_quarter_number
    from bounds
),

final as (
    select
        *,
        'FY' || cast(fiscal_year as {{ dbt.type_string() }}) || '-Q' || cast(fiscal_quarter_number as {{ dbt.type_string() }})
            as fiscal_quarter,
        -- the fiscal year starts (fiscal_quarter_number - 1) quarters before the quarter
        cast({{ dbt.dateadd('month', '-3 * (fiscal_quarter_number - 1)', 'quarter_start_date') }} as date)
            as fiscal_year_start_date
    from numbered
)

select * from final

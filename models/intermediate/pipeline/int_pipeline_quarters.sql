-- The quarters the waterfall reports: from the fiscal quarter of the first known
-- opportunity state through the quarter containing as_of_date (the incomplete one).
-- `boundary_at` is the instant the quarter's end state is read at: the next
-- quarter's start, or the as-of cutoff for the incomplete quarter.
with calendar as (
    select * from {{ ref('int_fiscal_quarters') }}
),

states as (
    select * from {{ ref('int_pipeline_states') }}
),

first_state as (
    select min(valid_from) as first_valid_from
    from states
),

reported_quarters as (
    select calendar.*
    from calendar
    cross join first_state
    where
        calendar.quarter_start_date >= {{ crm_revenue.fiscal_quarter_start('first_state.first_valid_from') }}
        and calendar.quarter_start_date <= {{ crm_revenue.fiscal_quarter_start(crm_revenue.as_of_date()) }}
),

final as (
    select
        -- quarter
        quarter_start_date,
        quarter_end_date,
        next_quarter_start_date,
        fiscal_year,
        fiscal_quarter_number,
        fiscal_quarter,
        -- windows: W(Q) = [quarter_start_date, window_end_date),
        -- W(Q + 1) = [next_quarter_start_date, next_window_end_date)
        window_end_date,
        next_window_end_date,
        following_quarter_start_date,
        -- instants
        cast(quarter_start_date as {{ dbt.type_timestamp() }}) as quarter_start_at,
        case
            when next_quarter_start_date <= {{ crm_revenue.as_of_date() }}
                then cast(next_quarter_start_date as {{ dbt.type_timestamp() }})
            else {{ crm_revenue.as_of_cutoff() }}
        end as boundary_at,
        -- flags
        next_quarter_start_date <= {{ crm_revenue.as_of_date() }} as is_complete
    from reported_quarters
)

select * from final

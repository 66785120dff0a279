-- The fiscal calendar by month: one row per calendar month of int_fiscal_quarters,
-- with the fiscal quarter it belongs to (a fiscal quarter is three calendar months).
with quarters as (
    select
        quarter_start_date,
        fiscal_year,
        fiscal_quarter_number,
        fiscal_quarter
    from {{ ref('int_fiscal_quarters') }}
),

months_in_quarter as (
    select 0 as month_offset
    union all
    select 1
    union all
    select 2
),

final as (
    select
        cast({{ dbt.dateadd('month', 'months_in_quarter.month_offset', 'quarters.quarter_start_date') }} as date)
            as month_start_date,
        quarters.quarter_start_date,
        quarters.fiscal_year,
        quarters.fiscal_quarter_number,
        quarters.fiscal_quarter
    from quarters
    cross join months_in_quarter
)

select * from final

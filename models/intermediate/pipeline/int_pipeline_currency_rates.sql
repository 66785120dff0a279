-- The conversion rate every currency gets in every reported quarter: the dated rate
-- valid on the quarter's first day (units of the currency per corporate unit).
-- Without a rate covering that day: the latest earlier rate, else the earliest one.
-- The corporate currency (and every single-currency export) converts at 1.
with quarters as (
    select quarter_start_date from {{ ref('int_pipeline_quarters') }}
),

currencies as (
    select distinct currency_iso_code from {{ ref('stg_crm__opportunities') }}
),

rates as (
    select * from {{ ref('stg_crm__dated_conversion_rates') }}
),

candidate_rates as (
    select
        quarters.quarter_start_date,
        currencies.currency_iso_code,
        rates.currency_conversion_rate,
        row_number() over (
            partition by quarters.quarter_start_date, currencies.currency_iso_code
            order by {{ crm_revenue.conversion_rate_preference('rates', 'quarters.quarter_start_date') }}
        ) as preference
    from quarters
    cross join currencies
    left join rates
        on currencies.currency_iso_code = rates.currency_iso_code
),

final as (
    select
        quarter_start_date,
        currency_iso_code,
        {{ crm_revenue.corporate_currency_rate(
            'currency_iso_code',
            'coalesce(currency_conversion_rate, cast(1 as ' ~ crm_revenue.rate_type() ~ '))'
        ) }} as currency_conversion_rate
    from candidate_rates
    where preference = 1
)

select * from final

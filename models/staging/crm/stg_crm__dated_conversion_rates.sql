-- One row per currency and validity period: units of the currency per one unit of
-- the corporate currency, valid from start_date until next_start_date (exclusive).
-- Built only once the reject-rate gate on audit_reject_shares has passed.
-- depends_on: {{ ref('audit_reject_shares') }}
with rates as (
    select * from {{ ref('base_crm__dated_conversion_rates') }}
    where rejection_reason is null
),

final as (
    select
        currency_iso_code,
        conversion_rate as currency_conversion_rate,
        start_date,
        next_start_date
    from rates
)

select * from final

-- Every raw dated_conversion_rate row, typed, with the reason it cannot be used (if any).
with source_rows as (
    {{ crm_revenue.read_crm_export('dated_conversion_rate') }}
),

parsed as (
    select
        *,
        upper(isocode) as currency_iso_code,
        {{ crm_revenue.parse_amount('conversionrate', 12) }} as conversion_rate,
        {{ crm_revenue.parse_date('startdate') }} as start_date,
        {{ crm_revenue.parse_date('nextstartdate') }} as next_start_date,
        {{ crm_revenue.exact_duplicate_rank('dated_conversion_rate') }} as exact_duplicate_rank
    from source_rows
),

{{ crm_revenue.rejection_steps(
    checks=[
        ['isocode is null', 'missing_iso_code'],
        [crm_revenue.is_unparseable('conversionrate', 'conversion_rate'), 'unparseable_conversion_rate'],
        ['conversion_rate is null or conversion_rate <= 0', 'missing_or_non_positive_conversion_rate'],
        [crm_revenue.is_unparseable('startdate', 'start_date') ~ ' or start_date is null', 'unparseable_start_date'],
        [crm_revenue.is_unparseable('nextstartdate', 'next_start_date'), 'unparseable_next_start_date'],
        ['exact_duplicate_rank > 1', 'exact_duplicate']
    ],
    key="currency_iso_code, start_date",
    modified_at="_raw_row_number",
    record_id="coalesce(isocode, '') || '@' || coalesce(startdate, '')",
    superseded_reason='duplicate_key_superseded',
) }}

select * from final
